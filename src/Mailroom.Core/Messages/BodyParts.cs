namespace Mailroom.Core.Messages;

/// <summary>The parts that make up a message's text body and HTML body, in order (RFC 8621 textBody and htmlBody).</summary>
/// <param name="Text">text/plain parts, text/html parts where a rendering has no plain text, and inline media.</param>
/// <param name="Html">text/html parts, text/plain parts where a rendering has no HTML, and inline media.</param>
internal sealed record BodyParts(IReadOnlyList<MimeNode> Text, IReadOnlyList<MimeNode> Html)
{
    /// <summary>True when the node's text is read into one of the bodies (so it is not listed as an attachment).</summary>
    public bool Contains(MimeNode node) =>
        BodySelector.IsBodyText(node) && (Text.Contains(node) || Html.Contains(node));
}

namespace Mailroom.Core.Sending;

/// <summary>
/// A file to send. With <see cref="ContentId"/> set it is an inline part the HTML refers to as <c>cid:</c>, placed
/// with the HTML in multipart/related; otherwise an attachment of the multipart/mixed.
/// </summary>
public sealed record OutgoingAttachment(string FileName, string ContentType, byte[] Content, string? ContentId = null)
{
    public bool IsInline => ContentId is not null;
}

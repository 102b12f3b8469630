namespace Mailroom.Server.Sending;

/// <summary>An attachment of a <see cref="SendRequest"/>: a file by path (CLI only), or a file name with base64 content.</summary>
internal sealed class SendAttachment
{
    public string? Path { get; set; }
    public string? FileName { get; set; }
    public string? ContentType { get; set; }
    public string? ContentBase64 { get; set; }

    /// <summary>Set for an inline image the HTML refers to as cid:CONTENT-ID.</summary>
    public string? ContentId { get; set; }
}

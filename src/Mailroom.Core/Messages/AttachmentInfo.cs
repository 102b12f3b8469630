namespace Mailroom.Core.Messages;

/// <summary>An attachment or inline part of a message.</summary>
/// <param name="FileName">The decoded file name (RFC 2231 / RFC 2047), or null.</param>
/// <param name="ContentType">The media type, lower-case (for example <c>image/png</c>).</param>
/// <param name="Size">The decoded size in bytes.</param>
/// <param name="ContentId">The Content-ID without angle brackets, or null.</param>
/// <param name="IsInline">True for parts shown inside the body (cid: images), false for attachments.</param>
/// <param name="PartPath">The part's position in the MIME tree, for example <c>1.2</c>, to fetch it later.</param>
public sealed record AttachmentInfo(
    string? FileName,
    string ContentType,
    long Size,
    string? ContentId,
    bool IsInline,
    string PartPath);

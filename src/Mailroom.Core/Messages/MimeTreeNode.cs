namespace Mailroom.Core.Messages;

/// <summary>One entity of a MIME tree as <see cref="MimeTreePrinter"/> describes it; serializes to JSON as is.</summary>
/// <param name="Path">
/// The IMAP part number (<c>1.2.1</c>). Empty for the top-level multipart; the multipart body of an encapsulated
/// message shares the number of its message/rfc822 part.
/// </param>
/// <param name="ContentType">The media type, lower-case.</param>
/// <param name="Charset">The declared charset, lower-case, or null.</param>
/// <param name="Disposition">The Content-Disposition value (<c>inline</c>, <c>attachment</c>), lower-case, or null.</param>
/// <param name="FileName">The decoded file name, or null.</param>
/// <param name="ContentId">The Content-ID without angle brackets, or null.</param>
/// <param name="Size">The decoded size in bytes of a leaf or an encapsulated message; null for a multipart.</param>
/// <param name="Children">The parts of a multipart, or the body of an encapsulated message.</param>
public sealed record MimeTreeNode(
    string Path,
    string ContentType,
    string? Charset,
    string? Disposition,
    string? FileName,
    string? ContentId,
    long? Size,
    IReadOnlyList<MimeTreeNode> Children);

using MimeKit;

namespace Mailroom.Core.Messages;

/// <summary>A part of a message with its decoded content.</summary>
/// <param name="ContentType">The media type, lower-case.</param>
/// <param name="FileName">The decoded file name, or null.</param>
/// <param name="Content">The content without its transfer encoding; an attached message exactly as it stands in the message.</param>
/// <param name="Entity">The MIME entity, for its other headers.</param>
public sealed record PartContent(string ContentType, string? FileName, byte[] Content, MimeEntity Entity);

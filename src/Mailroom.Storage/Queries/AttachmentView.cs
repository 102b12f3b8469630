namespace Mailroom.Storage.Queries;

/// <summary>An attachment or inline part, as stored at ingest.</summary>
public sealed record AttachmentView(int Position, string? FileName, string ContentType, long Size, string? ContentId, bool IsInline, string PartPath);

namespace Mailroom.Storage.Model;

internal sealed class AttachmentEntity
{
    public long MessageId { get; set; }
    public int Position { get; set; }
    public string? FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public string? ContentId { get; set; }
    public bool IsInline { get; set; }
    public required string PartPath { get; set; }
}

namespace Mailroom.Storage.Model;

/// <summary>
/// A message a mailbox with privacy scope "contacts" did not keep: only its place (folder, UID) and flags, so that
/// sync counts it as known and does not fetch it again. Nothing of its content is stored.
/// </summary>
internal sealed class SkippedMembershipEntity
{
    public long Id { get; set; }
    public long FolderId { get; set; }
    public long Uid { get; set; }
    public int Flags { get; set; }
    public required string Keywords { get; set; }
    public DateTimeOffset SkippedAt { get; set; }
}

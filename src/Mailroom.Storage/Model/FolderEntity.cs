using Mailroom.Core.Sync;

namespace Mailroom.Storage.Model;

/// <summary>
/// A folder and its sync checkpoint. UIDs are 32-bit unsigned and mod-sequences 63-bit, so both live in
/// signed 64-bit columns, which every provider has.
/// </summary>
internal sealed class FolderEntity
{
    public long Id { get; set; }
    public long MailboxId { get; set; }
    public required string Path { get; set; }
    public FolderRole Role { get; set; }
    public long? UidValidity { get; set; }
    public long? UidNext { get; set; }
    public long? HighestModSeq { get; set; }
    public DateTimeOffset? LastSyncedAt { get; set; }
}

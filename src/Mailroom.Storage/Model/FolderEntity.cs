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
    /// <summary>How many messages the server reported at the last completed sync.</summary>
    public int? RemoteCount { get; set; }
    /// <summary>The last failure of this folder's sync, cleared by the next success.</summary>
    public string? LastError { get; set; }
    public DateTimeOffset? LastErrorAt { get; set; }
    /// <summary>
    /// For a Gmail label (X-GM-EXT-1), the label as X-GM-LABELS names it: the folder is never selected, its
    /// memberships come from All Mail and carry All Mail's UIDs.
    /// </summary>
    public string? GmailLabel { get; set; }
    /// <summary>For a provider API folder (Microsoft Graph), the provider's immutable folder id: a rename keeps it.</summary>
    public string? RemoteId { get; set; }
    /// <summary>For a provider API folder, the provider's cursor (Graph's @odata.deltaLink), written with the changes it ends.</summary>
    public string? SyncToken { get; set; }
}

namespace Mailroom.Storage.Model;

/// <summary>A message's place in a folder under the folder's current UIDVALIDITY.</summary>
internal sealed class FolderMembershipEntity
{
    public long Id { get; set; }
    public long FolderId { get; set; }
    public long MessageId { get; set; }
    public long Uid { get; set; }

    /// <summary><see cref="Core.Connectors.MessageFlags"/> as an integer.</summary>
    public int Flags { get; set; }

    /// <summary>User keywords separated by single spaces (IMAP keywords are atoms: they have no spaces).</summary>
    public required string Keywords { get; set; }

    /// <summary>The raw copy this folder holds, which may differ from the message's canonical copy.</summary>
    public required string RawSha256 { get; set; }
    /// <summary>The server's own id when it is not a UID: the POP3 UIDL (RFC 1939 §7). Uid is then assigned locally.</summary>
    public string? RemoteId { get; set; }
}

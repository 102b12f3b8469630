namespace Mailroom.Storage.Cluster;

/// <summary>A write for a mailbox whose lease now belongs to another node (or another activation): refused.</summary>
public sealed class MailboxFencedException(long mailboxId, long token)
    : Exception($"Mailbox {mailboxId}: the lease with token {token} is no longer held; the write was refused.")
{
    public long MailboxId { get; } = mailboxId;
}

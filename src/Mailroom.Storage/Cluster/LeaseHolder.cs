namespace Mailroom.Storage.Cluster;

/// <summary>A live lease as the database has it: which node runs the mailbox, under which token.</summary>
public sealed record LeaseHolder(long MailboxId, string Owner, long Token);

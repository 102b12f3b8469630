namespace Mailroom.Storage.Cluster;

/// <summary>
/// One held lease: the mailbox, the fencing token it was granted with, and what to do when a write finds the token
/// changed (stop the worker).
/// </summary>
public sealed class MailboxLease(long mailboxId, long token, Action onLost)
{
    private int _lost;

    public long MailboxId { get; } = mailboxId;

    public long Token { get; } = token;

    public bool IsLost => Volatile.Read(ref _lost) == 1;

    /// <summary>Marks the lease lost and runs the handler once.</summary>
    public void Lose()
    {
        if (Interlocked.Exchange(ref _lost, 1) == 0)
            onLost();
    }
}

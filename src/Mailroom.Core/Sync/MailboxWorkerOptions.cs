namespace Mailroom.Core.Sync;

/// <summary>How a <see cref="MailboxWorker"/> keeps its mailbox current. Section <c>Worker</c>.</summary>
public sealed class MailboxWorkerOptions
{
    /// <summary>Every folder is re-synced this often; INBOX is followed live with IDLE in between.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// With NOTIFY (RFC 5465) every folder is followed live, and a full sync only runs this often, to find folders
    /// created, renamed or deleted since.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>An IDLE is ended and re-issued after this long, well before the 29 minutes of RFC 2177.</summary>
    public TimeSpan IdleRestart { get; set; } = TimeSpan.FromMinutes(9);

    /// <summary>First reconnect delay after a failure; doubles per failure, with jitter.</summary>
    public TimeSpan ReconnectInitial { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest reconnect delay.</summary>
    public TimeSpan ReconnectCap { get; set; } = TimeSpan.FromMinutes(5);
}

namespace Mailroom.Core.Sync;

/// <summary>What a <see cref="MailboxWorker"/> reports about its mailbox.</summary>
public enum MailboxWorkerState
{
    /// <summary>Synced and following changes.</summary>
    Live = 0,

    /// <summary>The connection failed; retrying with backoff.</summary>
    Reconnecting = 1,

    /// <summary>The server refused the credentials; the worker stopped.</summary>
    AuthFailed = 2,

    /// <summary>The settings cannot work; the worker stopped.</summary>
    Failed = 3,

    /// <summary>The OAuth grant was revoked or expired; the worker stopped until the mailbox is authorized again.</summary>
    NeedsReauth = 4,
}

namespace Mailroom.Core.Accounts;

/// <summary>How a mailbox's last sync went, as stored on it and shown by the CLI, the API and events.</summary>
public enum MailboxState
{
    /// <summary>Added (or authorized again) and not synced since.</summary>
    New = 0,

    /// <summary>The last sync completed.</summary>
    Ok = 1,

    /// <summary>The last sync completed, but some folders failed (the error names them).</summary>
    Partial = 2,

    /// <summary>The last sync failed; the worker retries by itself.</summary>
    Error = 3,

    /// <summary>The server refused the password; a person must fix it.</summary>
    AuthFailed = 4,

    /// <summary>The OAuth grant was revoked or expired: nothing logs in (IMAP, POP3, SMTP) until a person authorizes it again.</summary>
    NeedsReauth = 5,

    /// <summary>Never stored: what the state-change event says when the mailbox is removed.</summary>
    Removed = 6,
}

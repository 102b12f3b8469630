namespace Mailroom.Core.Accounts;

/// <summary>Stored mailbox states that Core acts on (the full list is the server's <c>MailboxStates</c>).</summary>
public static class AccountStates
{
    /// <summary>The OAuth grant was revoked or expired: nothing logs in (IMAP, POP3, SMTP) until a person authorizes it again.</summary>
    public const string NeedsReauth = "needs_reauth";
}

namespace Mailroom.Core.Accounts;

/// <summary>
/// How Mailroom reaches a mailbox. A new connector (the Gmail API, Microsoft Graph, EWS) is a new case here, its word
/// in Storage's one conversion, and a branch where the sync runner picks the connector.
/// </summary>
public enum MailboxProtocol
{
    /// <summary>IMAP4rev1 (with Gmail's extensions where the server has them).</summary>
    Imap = 0,

    /// <summary>POP3: one folder, never deleted from.</summary>
    Pop3 = 1,

    /// <summary>A local archive filled by <c>mailroom import</c> (mbox, Maildir, .eml): it has no server.</summary>
    Archive = 2,

    /// <summary>Google's Gmail REST API (users.messages, users.history, users.messages.send) with OAuth2.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("gmail-api")]
    GmailApi = 3,

    /// <summary>Microsoft Graph (mailFolders, per-folder messages/delta, sendMail) with OAuth2, for Microsoft 365 mailboxes.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("graph")]
    Graph = 4,

    /// <summary>Exchange Web Services (SyncFolderHierarchy, per-folder SyncFolderItems, CreateItem) with Basic or NTLM, for on-premises Exchange.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("ews")]
    Ews = 5,
}

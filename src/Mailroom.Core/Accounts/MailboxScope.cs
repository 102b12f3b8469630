namespace Mailroom.Core.Accounts;

/// <summary>What a mailbox keeps.</summary>
public enum MailboxScope
{
    /// <summary>Every message.</summary>
    All = 0,

    /// <summary>
    /// Only messages that name a contact of the organization in From, Reply-To, To or Cc. Others are recorded as
    /// skipped (folder, UID and flags: nothing of their content) so they are not fetched again; adding a contact
    /// later fetches its skipped mail from the server.
    /// </summary>
    Contacts = 1,
}

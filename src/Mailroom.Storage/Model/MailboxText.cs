using Mailroom.Core.Accounts;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Mailroom.Storage.Model;

/// <summary>
/// The one place where a mailbox's protocol and state become text and back: the words stored in the database and
/// written into events. They are written out here, not derived from the member names, so that renaming a member
/// cannot change what is stored. A new protocol or state adds one line to each switch.
/// </summary>
internal static class MailboxText
{
    public static readonly ValueConverter<MailboxProtocol, string> ProtocolConverter = new(p => ToText(p), t => ToProtocol(t));

    public static readonly ValueConverter<MailboxState, string> StateConverter = new(s => ToText(s), t => ToState(t));

    public static string ToText(MailboxProtocol protocol) => protocol switch
    {
        MailboxProtocol.Imap => "imap",
        MailboxProtocol.Pop3 => "pop3",
        MailboxProtocol.Archive => "archive",
        MailboxProtocol.GmailApi => "gmail-api",
        MailboxProtocol.Graph => "graph",
        MailboxProtocol.Ews => "ews",
    };

    public static MailboxProtocol ToProtocol(string text) => text switch
    {
        "imap" => MailboxProtocol.Imap,
        "pop3" => MailboxProtocol.Pop3,
        "archive" => MailboxProtocol.Archive,
        "gmail-api" => MailboxProtocol.GmailApi,
        "graph" => MailboxProtocol.Graph,
        "ews" => MailboxProtocol.Ews,
        _ => throw new InvalidOperationException($"The database holds an unknown mailbox protocol '{text}'."),
    };

    public static string ToText(MailboxState state) => state switch
    {
        MailboxState.New => "new",
        MailboxState.Ok => "ok",
        MailboxState.Partial => "partial",
        MailboxState.Error => "error",
        MailboxState.AuthFailed => "auth_failed",
        MailboxState.NeedsReauth => "needs_reauth",
        MailboxState.Removed => "removed",
    };

    public static MailboxState ToState(string text) => text switch
    {
        "new" => MailboxState.New,
        "ok" => MailboxState.Ok,
        "partial" => MailboxState.Partial,
        "error" => MailboxState.Error,
        "auth_failed" => MailboxState.AuthFailed,
        "needs_reauth" => MailboxState.NeedsReauth,
        "removed" => MailboxState.Removed,
        _ => throw new InvalidOperationException($"The database holds an unknown mailbox state '{text}'."),
    };
}

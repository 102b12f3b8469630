using Mailroom.Server.Api.V1;

namespace Mailroom.Server.WebConsole.Mailboxes;

/// <summary>A mailbox's action buttons, and the page they return to.</summary>
internal sealed record MailboxActionsView(MailboxJson Mailbox, string Back);

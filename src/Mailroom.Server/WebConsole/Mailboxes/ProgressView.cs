using Mailroom.Server.Sync;

namespace Mailroom.Server.WebConsole.Mailboxes;

/// <summary>A mailbox's live sync, for the fragment the page polls while a sync runs or the first one has not begun.</summary>
internal sealed record ProgressView(long MailboxId, LiveSync? Sync, bool Waiting)
{
    /// <summary>Whether the page should ask again: a sync is running, or the mailbox waits for its first one.</summary>
    public bool Poll => Sync is { Finished: false } || (Sync is null && Waiting);
}

using Mailroom.Core.Threading;

namespace Mailroom.Storage.Queries;

public sealed partial class StoreInspector
{
    /// <summary>The mailbox's threads, most recent first.</summary>
    public async Task<IReadOnlyList<StoredThreadView>> ListThreadsAsync(long mailboxId, int limit, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        return await db.Threads
            .Where(t => t.MailboxId == mailboxId)
            .OrderByDescending(t => t.LastDate).ThenByDescending(t => t.Id)
            .Take(limit)
            .Select(t => new StoredThreadView(t.Id, t.Subject, t.MessageCount, t.FirstDate, t.LastDate))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The thread, or null when there is none with that id.</summary>
    public async Task<StoredThreadView?> GetThreadAsync(long threadId, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        return await db.Threads.Where(t => t.Id == threadId)
            .Select(t => new StoredThreadView(t.Id, t.Subject, t.MessageCount, t.FirstDate, t.LastDate))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The thread's messages, oldest first.</summary>
    public async Task<IReadOnlyList<ThreadMessageView>> ListThreadMessagesAsync(long threadId, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var rows = await db.Messages.Where(m => m.ThreadId == threadId)
            .OrderBy(m => m.Date).ThenBy(m => m.Id)
            .Select(m => new { m.Id, m.MessageIdHeader, m.InReplyTo, m.ReferenceIds, m.Subject, m.Date, m.FromSummary, m.ThreadReason })
            .ToListAsync(cancellationToken);
        // Joined, not a list of the thread's ids: a thread can hold more messages than a statement takes parameters.
        var folders = (await (
                from fm in db.Memberships
                join f in db.Folders on fm.FolderId equals f.Id
                join m in db.Messages on fm.MessageId equals m.Id
                where m.ThreadId == threadId
                select new { fm.MessageId, f.Path })
            .ToListAsync(cancellationToken))
            .ToLookup(x => x.MessageId, x => x.Path);
        return [.. rows.Select(r => new ThreadMessageView(
            r.Id, r.MessageIdHeader, r.InReplyTo,
            r.ReferenceIds is null ? [] : System.Text.Json.JsonSerializer.Deserialize(r.ReferenceIds, StorageJson.Default.IReadOnlyListString) ?? [],
            r.Subject, r.Date, r.FromSummary,
            Enum.TryParse<ThreadReason>(r.ThreadReason, out var reason) ? reason : null,
            [.. folders[r.Id].Order(StringComparer.Ordinal)]))];
    }

    /// <summary>The thread of the message with this Message-ID in the mailbox (the first one stored), or null.</summary>
    public async Task<long?> FindThreadAsync(long mailboxId, string messageIdHeader, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        return await db.Messages.Where(m => m.MailboxId == mailboxId && m.MessageIdHeader == messageIdHeader)
            .OrderBy(m => m.Id).Select(m => m.ThreadId).FirstOrDefaultAsync(cancellationToken);
    }
}

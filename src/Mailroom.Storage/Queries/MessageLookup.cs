using System.Text.Json;
using Mailroom.Core.Sending;

namespace Mailroom.Storage.Queries;

/// <summary>Stored messages as sending needs them: the original of a reply or forward, and the synced copy of a sent message.</summary>
public sealed class MessageLookup
{
    private readonly MailroomContextFactory _contexts;

    internal MessageLookup(MailroomContextFactory contexts) => _contexts = contexts;

    /// <summary>The stored message with this row id, with the mailbox it belongs to; null when there is none.</summary>
    public async Task<(long MailboxId, OriginalMessage Original)?> GetOriginalAsync(long messageId, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var m = await db.Messages.AsNoTracking().SingleOrDefaultAsync(x => x.Id == messageId, cancellationToken);
        if (m is null)
            return null;
        var references = m.ReferenceIds is null ? [] : JsonSerializer.Deserialize(m.ReferenceIds, StorageJson.Default.IReadOnlyListString) ?? [];
        return (m.MailboxId, new OriginalMessage(m.MessageIdHeader, references, m.Subject, m.FromSummary, m.ToSummary, m.Date, m.TextBody, m.HtmlBody));
    }

    /// <summary>The message rows of a mailbox with this Message-ID (the synced copy of a sent message), with their raw SHA-256.</summary>
    public async Task<IReadOnlyList<(long Id, string RawSha256)>> FindByMessageIdAsync(long mailboxId, string messageId, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var rows = await db.Messages.AsNoTracking().Where(x => x.MailboxId == mailboxId && x.MessageIdHeader == messageId)
            .Select(x => new { x.Id, x.RawSha256 }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Id, r.RawSha256))];
    }
}

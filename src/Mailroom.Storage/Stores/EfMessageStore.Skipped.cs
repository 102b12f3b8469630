namespace Mailroom.Storage.Stores;

/// <summary><see cref="ISkippedMessageStore"/>: what privacy scope "contacts" recorded instead of storing.</summary>
internal sealed partial class EfMessageStore : ISkippedMessageStore
{
    public async Task<IReadOnlyList<SkippedFolder>> GetSkippedAsync(long mailboxId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var rows = await (
            from s in db.SkippedMemberships
            join f in db.Folders on s.FolderId equals f.Id
            where f.MailboxId == mailboxId
            select new { f.Id, f.Path, f.UidValidity, s.Uid })
            .ToListAsync(cancellationToken);
        return [.. rows
            .GroupBy(r => (r.Id, r.Path, r.UidValidity))
            .OrderBy(g => g.Key.Path, StringComparer.Ordinal)
            .Select(g => new SkippedFolder(
                g.Key.Id, g.Key.Path, g.Key.UidValidity is { } v ? (uint)v : null, [.. g.Select(r => (uint)r.Uid).Order()]))];
    }
}

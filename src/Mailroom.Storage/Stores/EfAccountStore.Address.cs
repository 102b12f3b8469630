using Mailroom.Core.Messages;
using Mailroom.Core.Sync;

namespace Mailroom.Storage.Stores;

/// <summary>A mailbox's own address: set by a person, or learned from the From that dominates its Sent folder.</summary>
internal sealed partial class EfAccountStore
{
    public async Task<bool> SetMailboxAddressAsync(long mailboxId, string? address, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.Mailboxes.Where(m => m.Id == mailboxId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Address, address), cancellationToken) > 0;
    }

    public async Task<string?> LearnAddressFromSentAsync(long mailboxId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        if (!await db.Mailboxes.AnyAsync(m => m.Id == mailboxId && m.Address == null, cancellationToken))
            return null;

        // Set-based: one count and one grouped query with a limit; the Sent folder is never loaded.
        var sent = db.Memberships
            .Where(fm => db.Folders.Any(f => f.Id == fm.FolderId && f.MailboxId == mailboxId && f.Role == FolderRole.Sent))
            .Select(fm => fm.MessageId)
            .Distinct();
        var total = await sent.CountAsync(cancellationToken);
        if (total == 0)
            return null;
        var top = await db.Addresses
            .Where(a => a.Role == AddressRole.From && sent.Contains(a.MessageId))
            .GroupBy(a => a.AddressNormalized)
            .Select(g => new { Address = g.Key, Messages = g.Select(a => a.MessageId).Distinct().Count() })
            .OrderByDescending(x => x.Messages).ThenBy(x => x.Address)
            .FirstOrDefaultAsync(cancellationToken);

        // Dominates: the From of more than half of the Sent messages. Anything less (a shared folder, delegates)
        // is no sign of whose mailbox this is.
        if (top is null || top.Messages * 2 <= total || !top.Address.Contains('@', StringComparison.Ordinal))
            return null;
        // Only while no address is set: a person's choice (or a concurrent learner's) is never overwritten.
        var updated = await db.Mailboxes.Where(m => m.Id == mailboxId && m.Address == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Address, top.Address), cancellationToken);
        return updated > 0 ? top.Address : null;
    }
}

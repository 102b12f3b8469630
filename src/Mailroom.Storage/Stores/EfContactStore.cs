using Mailroom.Core.Contacts;
using Mailroom.Core.Events;
using Mailroom.Storage.Ingest;

namespace Mailroom.Storage.Stores;

/// <summary>
/// <see cref="IContactStore"/> on EF Core. Every write of a contact re-links it in its own transaction with two
/// set-based statements (<see cref="ContactLinker"/>), so links never disagree with the addresses.
/// </summary>
internal sealed partial class EfContactStore(MailroomContextFactory contexts, TimeProvider time, EventSignal signal) : IContactStore
{
    public async Task<ContactSaveResult> UpsertAsync(long organizationId, ContactInput input, CancellationToken cancellationToken)
    {
        if (input.Validate(out var addresses) is { } error)
            throw new ArgumentException($"Contact '{input.ExternalId}': {error}.", nameof(input));
        var externalId = input.ExternalId.Trim();
        return (await WriteAsync(
            organizationId, externalId, input.Name.Trim(), create: true,
            current => addresses, cancellationToken))!;
    }

    public async Task<ContactSaveResult?> UpdateAsync(
        long organizationId, string externalId, string? name, IReadOnlyList<string> add, IReadOnlyList<string> remove,
        CancellationToken cancellationToken)
    {
        var added = Normalize(add);
        var removed = Normalize(remove);
        if (name is not null && (string.IsNullOrWhiteSpace(name) || name.Length > ContactInput.MaxLength))
            throw new ArgumentException($"The name must be 1 to {ContactInput.MaxLength} characters.", nameof(name));
        return await WriteAsync(organizationId, externalId, name?.Trim(), create: false, current =>
        {
            var next = current.Union(added, StringComparer.Ordinal).Except(removed, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (next.Count == 0)
                throw new ArgumentException($"Contact '{externalId}' would have no address left; remove the contact instead.", nameof(remove));
            return next;
        }, cancellationToken);
    }

    private static List<string> Normalize(IReadOnlyList<string> addresses) =>
        [.. addresses.Select(a => ContactAddresses.Normalize(a) ?? throw new ArgumentException($"'{a}' is not an email address.", nameof(addresses)))];

    /// <summary>Creates or updates the contact, sets its addresses to what <paramref name="addresses"/> makes of the current ones, re-links.</summary>
    private async Task<ContactSaveResult?> WriteAsync(
        long organizationId, string externalId, string? name, bool create, Func<IReadOnlyList<string>, IReadOnlyList<string>> addresses,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await StoreTransaction.BeginAsync(contexts, now, signal, cancellationToken);
        var (db, sql, events) = transaction;
        var aliases = await db.Organizations.Where(o => o.Id == organizationId).Select(o => (bool?)o.MatchAddressAliases)
            .SingleOrDefaultAsync(cancellationToken) ?? throw new InvalidOperationException($"Organization {organizationId} does not exist.");

        var contact = await db.Contacts.SingleOrDefaultAsync(c => c.OrganizationId == organizationId && c.ExternalId == externalId, cancellationToken);
        var created = contact is null;
        if (contact is null)
        {
            if (!create)
                return null;
            contact = new ContactEntity { OrganizationId = organizationId, ExternalId = externalId, Name = name!, CreatedAt = now, UpdatedAt = now };
            db.Contacts.Add(contact);
        }
        else
        {
            contact.Name = name ?? contact.Name;
            contact.UpdatedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);

        var current = await db.ContactAddresses.Where(a => a.ContactId == contact.Id).ToListAsync(cancellationToken);
        var wanted = addresses([.. current.Select(a => a.AddressNormalized)]);
        db.ContactAddresses.RemoveRange(current.Where(a => !wanted.Contains(a.AddressNormalized, StringComparer.Ordinal)));
        var toAdd = wanted.Where(w => !current.Any(a => a.AddressNormalized == w)).ToList();
        foreach (var address in toAdd)
        {
            var stored = StoredText.Indexed(address)!;
            db.ContactAddresses.Add(new ContactAddressEntity
            {
                ContactId = contact.Id,
                OrganizationId = organizationId,
                AddressNormalized = stored,
                AddressKey = StoredText.Indexed(ContactAddresses.AliasKey(address))!,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        var links = await ContactLinker.RelinkContactAsync(sql, events, organizationId, contact.Id, aliases, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var result = await ReadAsync(db, contact, cancellationToken);
        return new ContactSaveResult(result, created, links, toAdd);
    }

    public async Task<bool> RemoveAsync(long organizationId, string externalId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        // Addresses and links go by ON DELETE CASCADE.
        return await db.Contacts.Where(c => c.OrganizationId == organizationId && c.ExternalId == externalId)
            .ExecuteDeleteAsync(cancellationToken) > 0;
    }

    public async Task<Contact?> GetAsync(long organizationId, string externalId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var contact = await db.Contacts.SingleOrDefaultAsync(c => c.OrganizationId == organizationId && c.ExternalId == externalId, cancellationToken);
        return contact is null ? null : await ReadAsync(db, contact, cancellationToken);
    }

    public async Task<IReadOnlyList<Contact>> ListAsync(long organizationId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var contacts = await db.Contacts.Where(c => c.OrganizationId == organizationId).OrderBy(c => c.ExternalId).ToListAsync(cancellationToken);
        var addresses = (await db.ContactAddresses.Where(a => a.OrganizationId == organizationId)
            .Select(a => new { a.ContactId, a.AddressNormalized }).ToListAsync(cancellationToken))
            .ToLookup(a => a.ContactId, a => a.AddressNormalized);
        var counts = await db.MessageContacts
            .Where(l => db.Contacts.Any(c => c.Id == l.ContactId && c.OrganizationId == organizationId))
            .GroupBy(l => l.ContactId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return [.. contacts.Select(c => ToRecord(c, addresses[c.Id], counts.GetValueOrDefault(c.Id)))];
    }

    public Task<IReadOnlyList<Contact>> ListPageAsync(long organizationId, string? afterExternalId, int limit, CancellationToken cancellationToken) =>
        PageAsync(organizationId, null, afterExternalId, limit, cancellationToken);

    public Task<IReadOnlyList<Contact>> SearchPageAsync(long organizationId, string text, string? afterExternalId, int limit, CancellationToken cancellationToken) =>
        PageAsync(organizationId, text.Trim().ToLowerInvariant(), afterExternalId, limit, cancellationToken);

    // The page walks the (organization, external id) index in order and stops at the limit: a search tests each contact
    // it passes (its name, id and addresses), so a rare text reads far, a common one little; no list grows with the result.
    private async Task<IReadOnlyList<Contact>> PageAsync(
        long organizationId, string? text, string? afterExternalId, int limit, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var query = db.Contacts.Where(c => c.OrganizationId == organizationId);
        // ToLower() here is SQL's lower() on both databases (EF Core translates it; the culture overloads and
        // StringComparison do not translate), and Contains is instr/strpos: no LIKE pattern to escape.
#pragma warning disable CA1304, CA1311, CA1862
        if (!string.IsNullOrEmpty(text))
            query = query.Where(c => c.ExternalId.ToLower().Contains(text) || c.Name.ToLower().Contains(text)
                || db.ContactAddresses.Any(a => a.ContactId == c.Id && a.AddressNormalized.Contains(text)));
#pragma warning restore CA1304, CA1311, CA1862
        if (afterExternalId is not null)
            query = query.Where(c => c.ExternalId.CompareTo(afterExternalId) > 0);
        var contacts = await query.OrderBy(c => c.ExternalId).Take(Math.Clamp(limit, 1, MaxPageSize)).ToListAsync(cancellationToken);
        var ids = contacts.Select(c => c.Id).ToList();
        var addresses = (await db.ContactAddresses.Where(a => ids.Contains(a.ContactId))
            .Select(a => new { a.ContactId, a.AddressNormalized }).ToListAsync(cancellationToken))
            .ToLookup(a => a.ContactId, a => a.AddressNormalized);
        var counts = await db.MessageContacts.Where(l => ids.Contains(l.ContactId))
            .GroupBy(l => l.ContactId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return [.. contacts.Select(c => ToRecord(c, addresses[c.Id], counts.GetValueOrDefault(c.Id)))];
    }

    public async Task<LinkChange> SetAliasMatchingAsync(long organizationId, bool enabled, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(contexts, time.GetUtcNow(), signal, cancellationToken);
        var (db, sql, events) = transaction;
        var updated = await db.Organizations.Where(o => o.Id == organizationId)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.MatchAddressAliases, enabled), cancellationToken);
        if (updated == 0)
            throw new InvalidOperationException($"Organization {organizationId} does not exist.");

        int linked = 0, unlinked = 0;
        foreach (var id in await db.Contacts.Where(c => c.OrganizationId == organizationId).Select(c => c.Id).ToListAsync(cancellationToken))
        {
            var change = await ContactLinker.RelinkContactAsync(sql, events, organizationId, id, enabled, cancellationToken);
            linked += change.Linked;
            unlinked += change.Unlinked;
        }

        await transaction.CommitAsync(cancellationToken);
        return new LinkChange(linked, unlinked);
    }

    public async Task<bool> GetAliasMatchingAsync(long organizationId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.MatchAddressAliases).SingleOrDefaultAsync(cancellationToken);
    }

    private static async Task<Contact> ReadAsync(MailroomDbContext db, ContactEntity contact, CancellationToken cancellationToken)
    {
        var addresses = await db.ContactAddresses.Where(a => a.ContactId == contact.Id).Select(a => a.AddressNormalized).ToListAsync(cancellationToken);
        var count = await db.MessageContacts.CountAsync(l => l.ContactId == contact.Id, cancellationToken);
        return ToRecord(contact, addresses, count);
    }

    private static Contact ToRecord(ContactEntity c, IEnumerable<string> addresses, int messages) =>
        new(c.Id, c.OrganizationId, c.ExternalId, c.Name, [.. addresses.Order(StringComparer.Ordinal)], messages, c.CreatedAt, c.UpdatedAt);
}

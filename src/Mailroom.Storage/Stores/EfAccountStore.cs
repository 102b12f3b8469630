using System.Globalization;
using Mailroom.Core.Accounts;
using Mailroom.Core.Events;

namespace Mailroom.Storage.Stores;

/// <summary><see cref="IAccountStore"/> on EF Core.</summary>
internal sealed partial class EfAccountStore(MailroomContextFactory contexts, TimeProvider time, EventSignal signal) : IAccountStore
{
    public async Task<long> EnsureOrganizationAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var id = await FindOrganizationAsync(db, name, cancellationToken);
        if (id is { } existing)
            return existing;

        var organization = new OrganizationEntity { Name = name };
        db.Organizations.Add(organization);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return organization.Id;
        }
        catch (DbUpdateException)
        {
            // Created concurrently (another node, another command): the unique index kept one.
            if (await FindOrganizationAsync(db, name, cancellationToken) is { } created)
                return created;
            throw;
        }
    }

    public Task<MailboxRecord> AddMailboxAsync(
        long organizationId, string name, MailboxProtocol protocol, MailboxSettings settings, string protectedSecret,
        CancellationToken cancellationToken)
    {
        if (settings.OAuthProvider is not null)
            throw new ArgumentException("An OAuth mailbox is added with its tokens (AddOAuthMailboxAsync).", nameof(settings));
        return AddAsync(organizationId, name, protocol, settings, protectedSecret, null, cancellationToken);
    }

    public Task<MailboxRecord> AddOAuthMailboxAsync(
        long organizationId, string name, MailboxProtocol protocol, MailboxSettings settings, StoredOAuthTokens tokens,
        CancellationToken cancellationToken)
    {
        if (settings.OAuthProvider is null)
            throw new ArgumentException("An OAuth mailbox needs its provider (MailboxSettings.OAuthProvider).", nameof(settings));
        return AddAsync(organizationId, name, protocol, settings, "", tokens, cancellationToken);
    }

    public async Task<StoredOAuthTokens?> GetOAuthTokensAsync(long mailboxId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var row = await db.Mailboxes.Where(m => m.Id == mailboxId)
            .Select(m => new { m.ProtectedAccessToken, m.ProtectedRefreshToken, m.TokenExpiresAt })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Mailbox {mailboxId} does not exist.");
        return row.ProtectedAccessToken is null || row.TokenExpiresAt is null
            ? null
            : new StoredOAuthTokens(row.ProtectedAccessToken, row.ProtectedRefreshToken, row.TokenExpiresAt.Value);
    }

    public async Task SaveOAuthTokensAsync(long mailboxId, StoredOAuthTokens tokens, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var updated = await db.Mailboxes.Where(m => m.Id == mailboxId && m.OAuthProvider != null).ExecuteUpdateAsync(
            s => s.SetProperty(m => m.ProtectedAccessToken, tokens.ProtectedAccessToken)
                .SetProperty(m => m.ProtectedRefreshToken, tokens.ProtectedRefreshToken)
                .SetProperty(m => m.TokenExpiresAt, tokens.ExpiresAt),
            cancellationToken);
        if (updated == 0)
            throw new InvalidOperationException($"Mailbox {mailboxId} does not exist or does not use OAuth.");
    }

    private async Task<MailboxRecord> AddAsync(
        long organizationId, string name, MailboxProtocol protocol, MailboxSettings settings, string protectedSecret,
        StoredOAuthTokens? tokens, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        if (await NameTakenAsync(db, organizationId, name, cancellationToken))
            throw NameTaken(name);

        var entity = new MailboxEntity
        {
            OrganizationId = organizationId,
            Name = name,
            Protocol = protocol,
            Host = settings.Host,
            Port = settings.Port,
            Security = settings.Security,
            UserName = settings.UserName,
            Address = settings.Address,
            AllowPlaintext = settings.AllowPlaintext,
            TrustedCaFile = settings.TrustedCaFile,
            ServiceUrl = settings.ServiceUrl?.AbsoluteUri,
            EwsAuthentication = settings.EwsAuthentication,
            ProtectedSecret = protectedSecret,
            OAuthProvider = settings.OAuthProvider,
            ProtectedAccessToken = tokens?.ProtectedAccessToken,
            ProtectedRefreshToken = tokens?.ProtectedRefreshToken,
            TokenExpiresAt = tokens?.ExpiresAt,
            State = MailboxState.New,
            CreatedAt = time.GetUtcNow(),
            Scope = settings.Scope,
        };
        db.Mailboxes.Add(entity);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            if (await NameTakenAsync(db, organizationId, name, cancellationToken))
                throw NameTaken(name, ex);
            throw;
        }

        // Read back, so the record carries exactly what the database holds (times at its precision).
        var stored = await db.Mailboxes.SingleAsync(m => m.Id == entity.Id, cancellationToken);
        return ToRecord(stored);
    }

    public async Task<IReadOnlyList<MailboxRecord>> ListMailboxesAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var mailboxes = await db.Mailboxes.OrderBy(m => m.OrganizationId).ThenBy(m => m.Name).ToListAsync(cancellationToken);
        return [.. mailboxes.Select(ToRecord)];
    }

    public async Task<MailboxRecord?> FindMailboxAsync(string idOrName, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        if (long.TryParse(idOrName, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && await db.Mailboxes.SingleOrDefaultAsync(m => m.Id == id, cancellationToken) is { } byId)
        {
            return ToRecord(byId);
        }

        var byName = await db.Mailboxes.Where(m => m.Name == idOrName).OrderBy(m => m.Id).FirstOrDefaultAsync(cancellationToken);
        return byName is null ? null : ToRecord(byName);
    }

    public async Task<string> GetProtectedSecretAsync(long mailboxId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.Mailboxes.Where(m => m.Id == mailboxId).Select(m => m.ProtectedSecret).SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Mailbox {mailboxId} does not exist.");
    }

    public async Task<bool> RemoveMailboxAsync(long mailboxId, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(contexts, time.GetUtcNow(), signal, cancellationToken);
        var (db, sql, events) = transaction;

        // The raw copies this mailbox references, to delete those no other mailbox shares once its rows are gone.
        var shas = new HashSet<string>(StringComparer.Ordinal);
        await sql.QueryAsync(
            "SELECT DISTINCT raw_sha256 FROM messages WHERE mailbox_id = @p0 " +
            "UNION SELECT DISTINCT fm.raw_sha256 FROM folder_memberships fm JOIN folders f ON f.id = fm.folder_id WHERE f.mailbox_id = @p0",
            [mailboxId], reader => shas.Add(reader.GetString(0)), cancellationToken);

        var owner = await db.Mailboxes.Where(m => m.Id == mailboxId).Select(m => new { m.OrganizationId, m.State }).SingleOrDefaultAsync(cancellationToken);

        // Folders, memberships, messages, addresses and attachments go by ON DELETE CASCADE.
        var deleted = await db.Mailboxes.Where(m => m.Id == mailboxId).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0 || owner is null)
            return false;

        // One event for the mailbox, not one per message: "removed" says every message of it went.
        AddStateEvent(events, owner.OrganizationId, mailboxId, owner.State, MailboxState.Removed, null);

        await sql.ExecuteInChunksAsync(
            "DELETE FROM raw_mime WHERE sha256 IN ({0}) " +
            "AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.raw_sha256 = raw_mime.sha256) " +
            "AND NOT EXISTS (SELECT 1 FROM folder_memberships fm WHERE fm.raw_sha256 = raw_mime.sha256)",
            [], shas.ToList(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> SetMailboxProtocolAsync(long mailboxId, MailboxProtocol protocol, string host, int port, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.Mailboxes.Where(m => m.Id == mailboxId).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Protocol, protocol)
            .SetProperty(m => m.Host, host)
            .SetProperty(m => m.Port, port)
            .SetProperty(m => m.State, MailboxState.New)
            .SetProperty(m => m.LastError, (string?)null), cancellationToken) > 0;
    }

    public async Task<bool> SetMailboxScopeAsync(long mailboxId, MailboxScope scope, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(contexts, cancellationToken);
        var db = transaction.Db;
        var updated = await db.Mailboxes.Where(m => m.Id == mailboxId).ExecuteUpdateAsync(s => s.SetProperty(m => m.Scope, scope), cancellationToken);
        if (updated == 0)
            return false;
        if (scope == MailboxScope.All)
        {
            // Skipped messages are wanted now: without their records the next sync sees them as new and fetches them.
            await db.SkippedMemberships.Where(s => db.Folders.Any(f => f.Id == s.FolderId && f.MailboxId == mailboxId))
                .ExecuteDeleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task SetSmtpAsync(long mailboxId, SmtpSettings? smtp, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var updated = await db.Mailboxes.Where(m => m.Id == mailboxId).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.SmtpHost, smtp == null ? null : smtp.Host)
            .SetProperty(m => m.SmtpPort, smtp == null ? null : smtp.Port)
            .SetProperty(m => m.SmtpSecurity, smtp == null ? null : smtp.Security)
            .SetProperty(m => m.SmtpUserName, smtp == null ? null : smtp.UserName), cancellationToken);
        if (updated == 0)
            throw new InvalidOperationException($"Mailbox {mailboxId} does not exist.");
    }

    public async Task SetSentFilingAsync(long mailboxId, SentFiling filing, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        await db.Mailboxes.Where(m => m.Id == mailboxId).ExecuteUpdateAsync(
            s => s.SetProperty(m => m.SentFiling, filing), cancellationToken);
    }

    public async Task<bool> SetMailboxPausedAsync(long mailboxId, bool paused, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.Mailboxes.Where(m => m.Id == mailboxId).ExecuteUpdateAsync(
            s => s.SetProperty(m => m.Paused, paused), cancellationToken) > 0;
    }

    public async Task SetMailboxStateAsync(long mailboxId, MailboxState state, string? lastError, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (state == MailboxState.Removed)
            throw new ArgumentException("A mailbox is removed with RemoveMailboxAsync; 'removed' is never stored.", nameof(state));
        await using var transaction = await StoreTransaction.BeginAsync(contexts, time.GetUtcNow(), signal, cancellationToken);
        var (db, sql, events) = transaction;
        // The state before, read under the row lock the update takes anyway (PostgreSQL), so two writers cannot both see the old one.
        (long Organization, MailboxState State)? before = null;
        await sql.QueryAsync(
            db.Provider == StorageProvider.Postgres
                ? "SELECT organization_id, state FROM mailboxes WHERE id = @p0 FOR UPDATE"
                : "SELECT organization_id, state FROM mailboxes WHERE id = @p0",
            [mailboxId], reader => before = (reader.GetInt64(0), MailboxText.ToState(reader.GetString(1))), cancellationToken);
        var updated = state == MailboxState.Ok
            ? await db.Mailboxes.Where(m => m.Id == mailboxId).ExecuteUpdateAsync(
                s => s.SetProperty(m => m.State, state).SetProperty(m => m.LastError, lastError).SetProperty(m => m.LastSyncedAt, at),
                cancellationToken)
            : await db.Mailboxes.Where(m => m.Id == mailboxId).ExecuteUpdateAsync(
                s => s.SetProperty(m => m.State, state).SetProperty(m => m.LastError, lastError),
                cancellationToken);
        if (updated == 0 || before is not { } old)
            throw new InvalidOperationException($"Mailbox {mailboxId} does not exist.");

        // Every sync ends by saying ok: only a change is an event.
        if (old.State != state)
            AddStateEvent(events, old.Organization, mailboxId, old.State, state, lastError);
        await transaction.CommitAsync(cancellationToken);
    }

    private static void AddStateEvent(PendingEvents events, long organizationId, long mailboxId, MailboxState previous, MailboxState state, string? error) =>
        events.Add(organizationId, EventTypes.MailboxStateChanged, PendingEvents.Json(w =>
        {
            w.WriteNumber("mailboxId", mailboxId);
            w.WriteString("state", MailboxText.ToText(state));
            w.WriteString("previousState", MailboxText.ToText(previous));
            if (error is null)
                w.WriteNull("error");
            else
                w.WriteString("error", error);
        }), mailboxId: mailboxId);

    private static async Task<long?> FindOrganizationAsync(MailroomDbContext db, string name, CancellationToken cancellationToken) =>
        await db.Organizations.Where(o => o.Name == name).Select(o => (long?)o.Id).SingleOrDefaultAsync(cancellationToken);

    private static Task<bool> NameTakenAsync(MailroomDbContext db, long organizationId, string name, CancellationToken cancellationToken) =>
        db.Mailboxes.AnyAsync(m => m.OrganizationId == organizationId && m.Name == name, cancellationToken);

    private static InvalidOperationException NameTaken(string name, Exception? inner = null) =>
        new($"A mailbox named '{name}' already exists in this organization.", inner);

    internal static MailboxRecord ToRecord(MailboxEntity m) => new(
        m.Id,
        m.OrganizationId,
        m.Name,
        m.Protocol,
        new MailboxSettings
        {
            Host = m.Host,
            Port = m.Port,
            UserName = m.UserName,
            Address = m.Address,
            Security = m.Security,
            AllowPlaintext = m.AllowPlaintext,
            TrustedCaFile = m.TrustedCaFile,
            ServiceUrl = m.ServiceUrl is { } url ? new Uri(url) : null,
            EwsAuthentication = m.EwsAuthentication,
            OAuthProvider = m.OAuthProvider,
            Scope = m.Scope,
        },
        m.State,
        m.CreatedAt,
        m.LastSyncedAt,
        m.LastError)
    {
        Smtp = m.SmtpHost is null ? null : new SmtpSettings
        {
            Host = m.SmtpHost,
            Port = m.SmtpPort ?? SmtpSettings.DefaultPort(m.SmtpSecurity ?? TransportSecurity.Tls),
            Security = m.SmtpSecurity ?? TransportSecurity.Tls,
            UserName = m.SmtpUserName,
        },
        SentFiling = m.SentFiling ?? SentFiling.Unknown,
        Paused = m.Paused,
    };
}

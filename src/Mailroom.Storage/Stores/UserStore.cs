using System.Globalization;
using System.Security.Cryptography;

namespace Mailroom.Storage.Stores;

/// <summary>
/// Console users. Passwords arrive here already hashed (the server hashes them with ASP.NET Core Identity's
/// PasswordHasher); this store keeps the hash, the role, the failed sign-ins and the lockout. Counting a failure and
/// locking out is one statement each, so parallel guesses cannot each see "one failure short" and slip past the limit.
/// </summary>
public sealed partial class UserStore
{
    private readonly MailroomContextFactory _contexts;
    private readonly TimeProvider _time;

    internal UserStore(MailroomContextFactory contexts, TimeProvider time)
    {
        _contexts = contexts;
        _time = time;
    }

    public static string Normalize(string name) => name.Trim().ToLowerInvariant();

    /// <summary>Adds a user; null when the name is taken (by any organization).</summary>
    public Task<UserRecord?> AddAsync(long organizationId, string name, string passwordHash, string role, CancellationToken cancellationToken) =>
        AddAsync(organizationId, name, passwordHash, role, null, cancellationToken);

    private async Task<UserRecord?> AddAsync(
        long organizationId, string name, string passwordHash, string role, (string Issuer, string Subject)? external, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var normalized = Normalize(name);
        if (await db.Users.AnyAsync(u => u.NormalizedName == normalized, cancellationToken))
            return null;
        var entity = new UserEntity
        {
            OrganizationId = organizationId,
            Name = name.Trim(),
            NormalizedName = normalized,
            PasswordHash = passwordHash,
            Role = role,
            SecurityStamp = NewStamp(),
            CreatedAt = _time.GetUtcNow(),
            ExternalIssuer = external?.Issuer,
            ExternalSubject = external?.Subject,
        };
        db.Users.Add(entity);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Added at the same moment by someone else: the unique index (of the name, or of the OpenID identity) decided.
            await using var check = _contexts.Create();
            if (await check.Users.AnyAsync(u => u.NormalizedName == normalized, cancellationToken)
                || (external is { } e && await check.Users.AnyAsync(u => u.ExternalIssuer == e.Issuer && u.ExternalSubject == e.Subject, cancellationToken)))
                return null;
            throw;
        }
        return await GetAsync(entity.Id, cancellationToken);
    }

    /// <summary>Users of one organization, or of all when <paramref name="organizationId"/> is null; by name.</summary>
    public async Task<IReadOnlyList<UserRecord>> ListAsync(long? organizationId, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        return await Records(db, u => organizationId == null || u.OrganizationId == organizationId).ToListAsync(cancellationToken);
    }

    public async Task<UserRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        return await Records(db, u => u.Id == id).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The user and the stored password hash, for signing in; null when there is no such user.</summary>
    public async Task<(UserRecord User, string PasswordHash)?> FindForSignInAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var normalized = Normalize(name);
        // One query: the record's columns and the hash (the record itself never carries the hash).
        var found = await (
                from u in db.Users
                where u.NormalizedName == normalized
                join o in db.Organizations on u.OrganizationId equals o.Id
                select new
                {
                    User = new UserRecord(u.Id, u.OrganizationId, o.Name, u.Name, u.Role, u.SecurityStamp, u.FailedSignIns, u.LockedUntil, u.CreatedAt, u.LastSignInAt,
                        u.PasswordHash != "", u.ExternalIssuer != null),
                    u.PasswordHash,
                })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : (found.User, found.PasswordHash);
    }

    public async Task<UserRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var normalized = Normalize(name);
        return await Records(db, u => u.NormalizedName == normalized).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// The user's security stamp alone (null when there is no such user): what every console request checks, so it is
    /// one narrow query by key.
    /// </summary>
    public async Task<string?> SecurityStampAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        return await db.Users.Where(u => u.Id == id).Select(u => u.SecurityStamp).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>A new password: a new security stamp (every session ends) and no lockout. False when there is no such user.</summary>
    public async Task<bool> SetPasswordAsync(long id, string passwordHash, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var stamp = NewStamp();
        return await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.PasswordHash, passwordHash)
            .SetProperty(u => u.SecurityStamp, stamp)
            .SetProperty(u => u.FailedSignIns, 0)
            .SetProperty(u => u.LockedUntil, (DateTimeOffset?)null), cancellationToken) == 1;
    }

    /// <summary>A new security stamp alone: every session of the user ends (signing out).</summary>
    public async Task RotateStampAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var stamp = NewStamp();
        await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.SecurityStamp, stamp), cancellationToken);
    }

    public async Task<bool> RemoveAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        return await db.Users.Where(u => u.Id == id).ExecuteDeleteAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Counts a failed sign-in. The one that reaches <paramref name="maxFailures"/> locks the user until
    /// <paramref name="lockout"/> from now and takes the limit off the count. Returns when the user is locked until, if locked.
    /// </summary>
    public async Task<DateTimeOffset?> RecordFailureAsync(long id, int maxFailures, TimeSpan lockout, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var now = _time.GetUtcNow();
        var until = now + lockout;
        await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignIns, u => u.FailedSignIns + 1), cancellationToken);
        // A statement that sees the limit reached locks and takes the limit off the count: failures that raced past it
        // stay counted towards the next lockout, and parallel guesses lock once per limit, never less.
        await db.Users.Where(u => u.Id == id && u.FailedSignIns >= maxFailures).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.LockedUntil, until).SetProperty(u => u.FailedSignIns, u => u.FailedSignIns - maxFailures), cancellationToken);
        return await db.Users.Where(u => u.Id == id).Select(u => u.LockedUntil).SingleOrDefaultAsync(cancellationToken) is { } locked && locked > now
            ? locked
            : null;
    }

    /// <summary>A successful sign-in: the failure count starts again; a rehashed password (stronger settings) is kept.</summary>
    public async Task RecordSuccessAsync(long id, string? rehashedPassword, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var now = _time.GetUtcNow();
        if (rehashedPassword is not null)
            await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, rehashedPassword), cancellationToken);
        await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.FailedSignIns, 0).SetProperty(u => u.LockedUntil, (DateTimeOffset?)null).SetProperty(u => u.LastSignInAt, now),
            cancellationToken);
    }

    // The filter applies to the rows, before they become records (EF Core cannot filter on a record's constructor).
    private static IQueryable<UserRecord> Records(MailroomDbContext db, System.Linq.Expressions.Expression<Func<UserEntity, bool>> filter) =>
        from u in db.Users.Where(filter)
        join o in db.Organizations on u.OrganizationId equals o.Id
        orderby u.Name
        select new UserRecord(u.Id, u.OrganizationId, o.Name, u.Name, u.Role, u.SecurityStamp, u.FailedSignIns, u.LockedUntil, u.CreatedAt, u.LastSignInAt,
            u.PasswordHash != "", u.ExternalIssuer != null);

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLower(CultureInfo.InvariantCulture);
}

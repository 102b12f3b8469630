using System.Security.Cryptography;
using System.Text;

namespace Mailroom.Storage.Stores;

/// <summary>
/// API keys per organization. A key is <c>mr_</c> and 32 random bytes (base64url); only its SHA-256 is stored, with
/// the first 11 characters for people to tell keys apart. The plain key exists once, in what <see cref="CreateAsync"/>
/// returns.
/// </summary>
public sealed class ApiKeyStore
{
    public const string KeyPrefix = "mr_";
    private const int PrefixLength = 11;
    private static readonly TimeSpan LastUsedGranularity = TimeSpan.FromMinutes(1);
    private readonly MailroomContextFactory _contexts;
    private readonly TimeProvider _time;

    internal ApiKeyStore(MailroomContextFactory contexts, TimeProvider time)
    {
        _contexts = contexts;
        _time = time;
    }

    /// <summary>Makes a key for the organization. The returned string is the only copy of the key.</summary>
    public async Task<(ApiKeyRecord Record, string Key)> CreateAsync(long organizationId, string name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
            throw new ArgumentException("The key name must be 1 to 200 characters.", nameof(name));
        var key = KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        await using var db = _contexts.Create();
        var orgName = await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Name).SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Organization {organizationId} does not exist.");
        var entity = new ApiKeyEntity
        {
            OrganizationId = organizationId,
            Name = name.Trim(),
            Prefix = key[..PrefixLength],
            Hash = Hash(key),
            CreatedAt = _time.GetUtcNow(),
        };
        db.ApiKeys.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return (ToRecord(entity, orgName), key);
    }

    /// <summary>Keys of one organization, or of all when <paramref name="organizationId"/> is null; oldest first.</summary>
    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(long? organizationId, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var rows = await (
                from k in db.ApiKeys
                join o in db.Organizations on k.OrganizationId equals o.Id
                where organizationId == null || k.OrganizationId == organizationId
                orderby k.Id
                select new { Key = k, o.Name })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => ToRecord(r.Key, r.Name))];
    }

    /// <summary>Revokes the key with this id or prefix. Null when there is none; a key already revoked keeps its time.</summary>
    public Task<ApiKeyRecord?> RevokeAsync(string idOrPrefix, CancellationToken cancellationToken) =>
        RevokeWhereAsync(
            long.TryParse(idOrPrefix, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
                ? k => k.Id == id
                : k => k.Prefix == idOrPrefix,
            cancellationToken);

    /// <summary>Revokes the organization's key with this id: another organization's key is none (null).</summary>
    public Task<ApiKeyRecord?> RevokeAsync(long organizationId, long id, CancellationToken cancellationToken) =>
        RevokeWhereAsync(k => k.Id == id && k.OrganizationId == organizationId, cancellationToken);

    private async Task<ApiKeyRecord?> RevokeWhereAsync(System.Linq.Expressions.Expression<Func<ApiKeyEntity, bool>> which, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var keys = await db.ApiKeys.Where(which).AsTracking().ToListAsync(cancellationToken);
        if (keys.Count != 1)
            return null;
        var key = keys[0];
        key.RevokedAt ??= _time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        var orgName = await db.Organizations.Where(o => o.Id == key.OrganizationId).Select(o => o.Name).SingleAsync(cancellationToken);
        return ToRecord(key, orgName);
    }

    /// <summary>The organization of a valid, unrevoked key; null for anything else.</summary>
    public async Task<long?> AuthenticateAsync(string presented, CancellationToken cancellationToken)
    {
        if (!presented.StartsWith(KeyPrefix, StringComparison.Ordinal) || presented.Length > 100)
            return null;
        var hash = Hash(presented);
        await using var db = _contexts.Create();
        var row = await db.ApiKeys.Where(k => k.Hash == hash)
            .Select(k => new { k.Id, k.OrganizationId, k.Hash, k.RevokedAt, k.LastUsedAt })
            .SingleOrDefaultAsync(cancellationToken);
        // The index found the row by its hash; compare again in constant time so that no timing depends on how much
        // of a guessed hash matched a stored one (the database's own comparison is not constant-time).
        if (row is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(row.Hash), Encoding.ASCII.GetBytes(hash)))
            return null;
        if (row.RevokedAt is not null)
            return null;
        var now = _time.GetUtcNow();
        if (row.LastUsedAt is not { } used || now - used >= LastUsedGranularity)
            await db.ApiKeys.Where(k => k.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        return row.OrganizationId;
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static ApiKeyRecord ToRecord(ApiKeyEntity k, string orgName) =>
        new(k.Id, k.OrganizationId, orgName, k.Name, k.Prefix, k.CreatedAt, k.RevokedAt, k.LastUsedAt);
}

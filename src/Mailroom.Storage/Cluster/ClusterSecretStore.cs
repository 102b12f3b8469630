using Mailroom.Storage.Sql;

namespace Mailroom.Storage.Cluster;

/// <summary>Secrets every cluster node shares (as ciphertext), made once by whichever node needs one first.</summary>
public sealed class ClusterSecretStore
{
    private readonly MailroomContextFactory _contexts;

    internal ClusterSecretStore(MailroomContextFactory contexts) => _contexts = contexts;

    /// <summary>
    /// The stored value of <paramref name="name"/>; when there is none yet, <paramref name="create"/>'s is stored and
    /// returned. Nodes starting together all get the one value that was stored first.
    /// </summary>
    public async Task<string> GetOrAddAsync(string name, Func<string> create, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var sql = BatchSql.ForReads(db);
        await sql.ScalarAsync(
            "INSERT INTO cluster_secrets (name, protected_value) VALUES (@p0, @p1) ON CONFLICT (name) DO NOTHING",
            [name, create()], cancellationToken);
        return (string)(await sql.ScalarAsync("SELECT protected_value FROM cluster_secrets WHERE name = @p0", [name], cancellationToken))!;
    }
}

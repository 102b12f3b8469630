using System.Text;
using Mailroom.IntegrationTests.Infrastructure;
using Npgsql;

namespace Mailroom.IntegrationTests.Cluster;

/// <summary>What the cluster tests look at: IMAP sessions per test user, the lease table, stored copies of a message.</summary>
internal sealed class ClusterProbe(string connectionString, IReadOnlyList<string> users)
{
    /// <summary>The highest session count any user reached in any sample since the last <see cref="ResetMaxima"/>.</summary>
    public Dictionary<string, int> Maxima { get; } = new(StringComparer.Ordinal);

    public int Samples { get; private set; }

    public void ResetMaxima()
    {
        Maxima.Clear();
        Samples = 0;
    }

    /// <summary>One <c>doveadm who</c> sample: sessions of each test user (0 when none), recorded in <see cref="Maxima"/>.</summary>
    public async Task<Dictionary<string, int>> SampleAsync()
    {
        var who = await Doveadm.ImapSessionsAsync();
        var sessions = users.ToDictionary(u => u, u => who.GetValueOrDefault(u), StringComparer.Ordinal);
        foreach (var (user, count) in sessions)
            Maxima[user] = Math.Max(Maxima.GetValueOrDefault(user), count);
        Samples++;
        return sessions;
    }

    /// <summary>Samples every 200 ms until every user has exactly one session; the time it took.</summary>
    public async Task<TimeSpan> WaitForOneSessionEachAsync(TimeSpan timeout, ClusterNodes nodes, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Dictionary<string, int> last = [];
        while (clock.Elapsed < timeout)
        {
            nodes.AssertAllRunning();
            last = await SampleAsync();
            if (last.Values.All(c => c == 1))
                return clock.Elapsed;
            await Task.Delay(200, cancellationToken);
        }
        Assert.Fail($"not every mailbox had one IMAP session within {timeout.TotalSeconds} s: "
            + string.Join(", ", last.Where(s => s.Value != 1).Select(s => $"{s.Key}={s.Value}")));
        return clock.Elapsed;
    }

    public void AssertNeverDoubled(string when)
    {
        var doubled = Maxima.Where(m => m.Value > 1).Select(m => $"{m.Key}={m.Value}").ToList();
        Assert.True(doubled.Count == 0, $"{when}: mailboxes with two IMAP sessions at once in {Samples} samples: {string.Join(", ", doubled)}");
    }

    /// <summary>Live lease owners: mailbox id to owner.</summary>
    public async Task<Dictionary<long, string>> OwnersAsync()
    {
        var owners = new Dictionary<long, string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT mailbox_id, owner FROM mailbox_leases WHERE expires_at >= now()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            owners[reader.GetInt64(0)] = reader.GetString(1);
        return owners;
    }

    /// <summary>Samples sessions (never doubled is checked by the caller) until every node runs at least <paramref name="least"/> mailboxes.</summary>
    public async Task<TimeSpan> WaitForBalanceAsync(ClusterNodes nodes, int least, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var counts = new int[nodes.Count];
        while (clock.Elapsed < timeout)
        {
            nodes.AssertAllRunning();
            await SampleAsync();
            var owners = await OwnersAsync();
            for (var i = 0; i < nodes.Count; i++)
                counts[i] = owners.Values.Count(o => o.StartsWith(nodes.OwnerPrefix(i), StringComparison.Ordinal));
            if (counts.All(c => c >= least))
                return clock.Elapsed;
            await Task.Delay(200, cancellationToken);
        }
        Assert.Fail($"mailboxes per node after {timeout.TotalSeconds} s: {string.Join(", ", counts)}; each should have {least} at least");
        return clock.Elapsed;
    }

    /// <summary>Stored rows per Message-ID among <paramref name="messageIds"/> (a message stored twice counts 2).</summary>
    public async Task<Dictionary<string, int>> StoredAsync(IReadOnlyCollection<string> messageIds)
    {
        var stored = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT btrim(message_id_header, '<>') AS id, count(*) FROM messages
            WHERE btrim(message_id_header, '<>') = ANY(@ids) GROUP BY 1
            """, connection);
        command.Parameters.AddWithValue("ids", messageIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            stored[reader.GetString(0)] = (int)reader.GetInt64(1);
        return stored;
    }

    /// <summary>A small message with a Message-ID of its own, for <paramref name="user"/>.</summary>
    public static (string MessageId, byte[] Raw) Message(string user, int n)
    {
        var id = $"cluster-{user}-{n}@mailroom.test";
        var raw = $"From: Sender <sender@example.org>\r\nTo: {user}@mailroom.test\r\nSubject: Cluster {user} {n}\r\n"
            + $"Message-ID: <{id}>\r\nDate: Mon, 07 Dec 2026 12:00:00 +0000\r\n\r\nBody {n} of {user}.\r\n";
        return (id, Encoding.ASCII.GetBytes(raw));
    }
}

using Mailroom.Core.Identity;
using Mailroom.Core.Storage;

namespace Mailroom.IntegrationTests.Infrastructure;

/// <summary>Compares the store with the server: same folders, and in each the same UIDs, flags and raw bytes.</summary>
public static class StoreAssert
{
    public static async Task MatchesServerAsync(IMessageStore store, long mailboxId, ServerSnapshot server)
    {
        var folders = (await store.ListFoldersAsync(mailboxId, CancellationToken.None)).ToDictionary(f => f.Path);
        foreach (var (path, messages) in server.Folders)
        {
            Assert.True(folders.TryGetValue(path, out var folder), $"folder {path} is not in the store");
            var stored = await store.GetMembershipsAsync(folder!.Id, CancellationToken.None);

            var missing = messages.Keys.Except(stored.Keys).Order().ToList();
            var extra = stored.Keys.Except(messages.Keys).Order().ToList();
            Assert.True(missing.Count == 0, $"{path}: {missing.Count} server messages missing from the store (UIDs {string.Join(',', missing.Take(20))})");
            Assert.True(extra.Count == 0, $"{path}: {extra.Count} stored memberships the server does not have (UIDs {string.Join(',', extra.Take(20))})");

            foreach (var (uid, (flags, sha)) in messages)
            {
                var m = stored[uid];
                Assert.True(sha == m.RawSha256, $"{path} UID {uid}: raw SHA-256 differs");
                Assert.True((int)flags == (int)m.Flags, $"{path} UID {uid}: flags {flags} on the server, {m.Flags} in the store");
                var raw = await store.GetRawAsync(m.RawSha256, CancellationToken.None);
                Assert.True(raw is not null, $"{path} UID {uid}: raw MIME missing");
                Assert.Equal(sha, MessageIdentity.Sha256Hex(raw));
            }
        }
    }

    /// <summary>A comparable picture of the store: folder path → UID → (raw SHA-256, flags).</summary>
    public static async Task<SortedDictionary<string, string>> DescribeAsync(IMessageStore store, long mailboxId)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var messages = new HashSet<long>();
        foreach (var folder in await store.ListFoldersAsync(mailboxId, CancellationToken.None))
        {
            var memberships = await store.GetMembershipsAsync(folder.Id, CancellationToken.None);
            foreach (var (uid, m) in memberships)
            {
                result[$"{folder.Path}/{uid:D8}"] = $"{m.RawSha256} {m.Flags}";
                messages.Add(m.MessageId);
            }
        }
        result["#distinct messages"] = messages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return result;
    }
}

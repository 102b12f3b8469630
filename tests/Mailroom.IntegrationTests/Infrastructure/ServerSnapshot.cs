using System.Security.Cryptography;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Mailroom.IntegrationTests.Infrastructure;

/// <summary>What the server holds, read independently of Mailroom's connector: folder → UID → (flags, SHA-256).</summary>
public sealed record ServerSnapshot(IReadOnlyDictionary<string, IReadOnlyDictionary<uint, (MessageFlags Flags, string Sha256)>> Folders)
{
    public static async Task<ServerSnapshot> ReadAsync(string user, string password, IEnumerable<string> folders)
    {
        using var client = new ImapClient();
        await client.ConnectAsync(LiveServers.Host, LiveServers.ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(user, password);
        var result = new Dictionary<string, IReadOnlyDictionary<uint, (MessageFlags, string)>>();
        foreach (var path in folders)
        {
            var folder = path == "INBOX" ? client.Inbox : await client.GetFolderAsync(path);
            await folder.OpenAsync(FolderAccess.ReadOnly);
            var map = new Dictionary<uint, (MessageFlags, string)>();
            if (folder.Count > 0)
            {
                var flags = (await folder.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags))
                    .ToDictionary(s => s.UniqueId.Id, s => s.Flags ?? MessageFlags.None);
                await ((ImapFolder)folder).GetStreamsAsync(UniqueIdRange.All, async (_, _, uid, stream, ct) =>
                {
                    var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
                    map[uid.Id] = (flags[uid.Id] & ~MessageFlags.Recent, hash);
                });
            }
            result[path] = map;
            await folder.CloseAsync();
        }
        await client.DisconnectAsync(true);
        return new ServerSnapshot(result);
    }
}

using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;
using Mailroom.IntegrationTests.Infrastructure;
using MailKit.Net.Pop3;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.IntegrationTests.Pop3;

/// <summary>The POP3 side of the test Dovecot, read independently of Mailroom's connector, and POP3 accounts on it.</summary>
internal static class Pop3Server
{
    public const string User = "mr9";
    public const string Password = "mr9pass";

    /// <summary>The UIDLs the server lists now, read with a separate MailKit client (no RETR, no DELE).</summary>
    public static async Task<HashSet<string>> UidlsAsync()
    {
        using var client = new Pop3Client();
        await client.ConnectAsync(LiveServers.Host, LiveServers.Pop3Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(User, Password);
        var uidls = client.Count == 0 ? [] : (await client.GetMessageUidsAsync()).ToHashSet(StringComparer.Ordinal);
        await client.DisconnectAsync(quit: true);
        return uidls;
    }

    /// <summary>The raw SHA-256 of every message in INBOX, read over IMAP: the server's own picture.</summary>
    public static async Task<List<string>> InboxShasAsync() =>
        [.. (await ServerSnapshot.ReadAsync(User, Password, ["INBOX"])).Folders["INBOX"].Values.Select(v => v.Sha256).Order(StringComparer.Ordinal)];

    public static async Task<MailboxRecord> AddAccountAsync(MailroomTestHost host, bool implicitTls = false)
    {
        var settings = new MailboxSettings
        {
            Host = LiveServers.Host,
            Port = implicitTls ? LiveServers.Pop3sPort : LiveServers.Pop3Port,
            UserName = User,
            Security = implicitTls ? TransportSecurity.Tls : TransportSecurity.StartTls,
            TrustedCaFile = LiveServers.CaFile,
        };
        var secret = host.Services.GetRequiredService<ISecretProtector>().Protect(SecretPurposes.MailboxPassword, Password);
        var org = await host.Accounts.EnsureOrganizationAsync("default", CancellationToken.None);
        return await host.Accounts.AddMailboxAsync(org, "pop3-" + User, MailboxProtocol.Pop3, settings, secret, CancellationToken.None);
    }

    /// <summary>What the store holds for the mailbox: UIDL → raw SHA-256 of its membership, and the distinct message count.</summary>
    public static async Task<(Dictionary<string, string> ByUidl, int Messages)> StoredAsync(MailroomTestHost host, long mailboxId)
    {
        var pop3 = host.Services.GetRequiredService<IPop3Store>();
        var folder = await pop3.OpenPop3FolderAsync(mailboxId, CancellationToken.None);
        var memberships = await host.Messages.GetMembershipsAsync(folder.FolderId, CancellationToken.None);
        Assert.Equal(memberships.Count, folder.RemoteIds.Count); // every membership carries its UIDL
        var byUidl = folder.RemoteIds.ToDictionary(p => p.Key, p => memberships[p.Value].RawSha256, StringComparer.Ordinal);
        return (byUidl, memberships.Values.Select(m => m.MessageId).Distinct().Count());
    }

    /// <summary>The store holds exactly the server's messages: the same UIDLs, and the same raw bytes.</summary>
    public static async Task AssertStoreMatchesServerAsync(MailroomTestHost host, long mailboxId)
    {
        var (byUidl, _) = await StoredAsync(host, mailboxId);
        var uidls = await UidlsAsync();
        Assert.Equal(uidls.Order(StringComparer.Ordinal), byUidl.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(await InboxShasAsync(), byUidl.Values.Order(StringComparer.Ordinal));
        foreach (var sha in byUidl.Values.Distinct())
            Assert.NotNull(await host.Messages.GetRawAsync(sha, CancellationToken.None));
    }
}

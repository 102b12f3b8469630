using System.Text;
using Mailroom.Core.Accounts;
using Mailroom.Core.Sync;
using Mailroom.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.IntegrationTests.Faults;

/// <summary>A proxy cuts the connection at random points, 50+ times, during the sync of 2,000 messages.</summary>
public sealed class DroppedConnectionTests
{
    private const string User = "mr8";

    [Fact]
    public async Task Sync_through_fifty_cut_connections_ends_with_every_message_once()
    {
        LiveServers.RequireDovecot();
        await Doveadm.ResetUserAsync(User);
        await ImapLoader.AppendAsync(User, "INBOX", Enumerable.Range(0, 2000).Select(Padded), "\\Seen");

        await using var proxy = new CuttingProxy(LiveServers.ImapPort, maxCuts: 60, minBytes: 100_000, maxBytes: 900_000);
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite, new Dictionary<string, string?> { ["Sync:BatchSize"] = "50" });
        var org = await host.Accounts.EnsureOrganizationAsync("default", CancellationToken.None);
        var secret = host.Services.GetRequiredService<ISecretProtector>().Protect(SecretPurposes.MailboxPassword, User + "pass");
        var mailbox = await host.Accounts.AddMailboxAsync(org, "cut", MailboxProtocol.Imap, new MailboxSettings
        {
            Host = LiveServers.Host, Port = proxy.Port, UserName = User, Security = TransportSecurity.StartTls, TrustedCaFile = LiveServers.CaFile,
        }, secret, CancellationToken.None);

        var reconnects = 0;
        var worker = host.NewWorker(mailbox,
            new MailboxWorkerOptions { ReconnectInitial = TimeSpan.FromMilliseconds(10), ReconnectCap = TimeSpan.FromMilliseconds(100), PollInterval = TimeSpan.FromMinutes(30) },
            new SyncOptions { BatchSize = 50 },
            (state, _) => { if (state == MailboxWorkerState.Reconnecting) Interlocked.Increment(ref reconnects); return Task.CompletedTask; });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = worker.RunAsync(stop.Token);

        var deadline = DateTime.UtcNow.AddMinutes(4);
        var stored = 0;
        while (DateTime.UtcNow < deadline && (stored < 2000 || proxy.Cuts < proxy.MaxCuts))
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            var inbox = (await host.Messages.ListFoldersAsync(mailbox.Id, CancellationToken.None)).FirstOrDefault(f => f.Path == "INBOX");
            stored = inbox is null ? 0 : (await host.Messages.GetMembershipsAsync(inbox.Id, CancellationToken.None)).Count;
            Assert.False(run.IsCompleted, "the worker stopped");
        }
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine($"{proxy.Cuts} cuts, {reconnects} reconnects, {stored} stored");
        Assert.True(proxy.Cuts >= 50, $"only {proxy.Cuts} cuts happened");
        await StoreAssert.MatchesServerAsync(host.Messages, mailbox.Id,
            await ServerSnapshot.ReadAsync(User, User + "pass", ["INBOX", "Sent", "Drafts", "Archive"]));
    }

    /// <summary>About 20 KB each, so that 2,000 of them give the proxy room for many cuts mid-fetch.</summary>
    private static byte[] Padded(int n)
    {
        var text = new StringBuilder()
            .Append("From: Cut Test <cut@example.org>\r\nTo: mr8@mailroom.test\r\n")
            .Append("Subject: Cut test ").Append(n).Append("\r\nDate: Tue, 3 Mar 2026 10:00:00 +0000\r\n")
            .Append("Message-ID: <cut-").Append(n).Append("@example.org>\r\nMIME-Version: 1.0\r\n")
            .Append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
        for (var line = 0; line < 260; line++)
            text.Append("Line ").Append(line).Append(" of message ").Append(n).Append(": padding text to give the message some size.\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}

using System.Text;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Sync;
using Mailroom.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.IntegrationTests.Faults;

/// <summary>
/// A link that cuts every connection after 1–3 MB, under a first sync whose batches (250 messages, about 15 MB)
/// are far larger than one connection carries: repeated one-shot syncs, as an operator or a cron job would run
/// them, must each keep what their connection delivered and together complete the folder, byte for byte.
/// </summary>
public sealed class CutEveryConnectionTests
{
    private const string User = "mr20";
    private const int Messages = 400;

    [Fact]
    public async Task Repeated_syncs_over_a_link_that_cuts_every_connection_complete_the_folder_exactly_once()
    {
        LiveServers.RequireDovecot();
        await Doveadm.ResetUserAsync(User);
        var random = new Random(2020);
        var messages = Enumerable.Range(0, Messages).Select(n => Generated(n, random)).ToList();
        await ImapLoader.AppendAsync(User, "INBOX", messages, "\\Seen");
        var total = messages.Sum(m => (long)m.Length);

        await using var proxy = new CuttingProxy(LiveServers.ImapPort, maxCuts: int.MaxValue, minBytes: 1_000_000, maxBytes: 3_000_000);
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite);
        var org = await host.Accounts.EnsureOrganizationAsync("default", CancellationToken.None);
        var secret = host.Services.GetRequiredService<ISecretProtector>().Protect(SecretPurposes.MailboxPassword, User + "pass");
        var mailbox = await host.Accounts.AddMailboxAsync(org, "cut-every", MailboxProtocol.Imap, new MailboxSettings
        {
            Host = LiveServers.Host, Port = proxy.Port, UserName = User, Security = TransportSecurity.StartTls, TrustedCaFile = LiveServers.CaFile,
        }, secret, CancellationToken.None);

        var log = TestContext.Current.TestOutputHelper;
        var stored = 0;
        long bodies = 0;
        var runs = 0;
        while (true)
        {
            runs++;
            Assert.True(runs <= 60, $"not complete after 60 runs ({stored} of {Messages} stored)");
            string outcome;
            try
            {
                var summary = await host.Runner.RunAsync(mailbox, null, TestContext.Current.CancellationToken);
                outcome = $"complete, {summary.MessagesFetched} fetched";
            }
            catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.Transient)
            {
                outcome = "cut: " + ex.Message;
            }
            bodies += host.Runner.LastCounters!.BodiesFetched;
            var before = stored;
            stored = await InboxCountAsync(host, mailbox.Id);
            log?.WriteLine($"run {runs}: {stored - before} stored, {stored} in all; {outcome}");
            if (outcome.StartsWith("complete", StringComparison.Ordinal))
                break;
            // Every connection carries at least 1 MB and no message is larger than 400 KB: each run must store some.
            Assert.True(stored > before, $"run {runs} stored nothing ({stored} of {Messages})");
        }

        log?.WriteLine($"{runs} runs, {proxy.Cuts} cuts, {total / 1e6:N1} MB in {Messages} messages");
        Assert.True(proxy.Cuts >= 5, $"only {proxy.Cuts} cuts: the test did not test cuts");
        Assert.Equal(Messages, stored);
        // Every body delivered whole was stored, and nothing stored was asked for again.
        Assert.Equal(Messages, bodies);
        await StoreAssert.MatchesServerAsync(host.Messages, mailbox.Id, await ServerSnapshot.ReadAsync(User, User + "pass", ["INBOX"]));
        var described = await StoreAssert.DescribeAsync(host.Messages, mailbox.Id);
        Assert.Equal(Messages.ToString(System.Globalization.CultureInfo.InvariantCulture), described["#distinct messages"]);

        // In step now: one more run over the same link fetches nothing.
        var again = await host.Runner.RunAsync(mailbox, null, TestContext.Current.CancellationToken);
        Assert.Equal(0, again.MessagesFetched);
    }

    private static async Task<int> InboxCountAsync(MailroomTestHost host, long mailboxId)
    {
        var inbox = (await host.Messages.ListFoldersAsync(mailboxId, CancellationToken.None)).FirstOrDefault(f => f.Path == "INBOX");
        return inbox is null ? 0 : (await host.Messages.GetMembershipsAsync(inbox.Id, CancellationToken.None)).Count;
    }

    /// <summary>Sizes from 2 KB to 400 KB, most small and some large (about 60 KB on average), as a real inbox has.</summary>
    private static byte[] Generated(int n, Random random)
    {
        var size = random.Next(10) switch
        {
            < 6 => random.Next(2_000, 30_000),
            < 9 => random.Next(30_000, 150_000),
            _ => random.Next(150_000, 400_000),
        };
        var text = new StringBuilder()
            .Append("From: Cut Link <cut@example.org>\r\nTo: mr20@mailroom.test\r\n")
            .Append("Subject: Every connection cut ").Append(n).Append("\r\nDate: Wed, 4 Mar 2026 09:00:00 +0000\r\n")
            .Append("Message-ID: <every-cut-").Append(n).Append("@example.org>\r\nMIME-Version: 1.0\r\n")
            .Append("Content-Type: application/octet-stream; name=\"data.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        var block = new byte[57];
        while (text.Length < size)
        {
            random.NextBytes(block);
            text.Append(Convert.ToBase64String(block)).Append("\r\n");
        }
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Mailroom.Core.Accounts;
using Mailroom.Core.Sending;
using Mailroom.Core.Storage;
using Mailroom.IntegrationTests.Infrastructure;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Mailroom.IntegrationTests.Sending;

/// <summary>
/// 1,000 messages through the local Postfix: the outbox (compose, persist, claim, submit, record, file the Sent copy)
/// against a plain MailKit loop over one connection. Rounds alternate plain and outbox (MAILROOM_BENCH_SEND_ROUNDS,
/// default 5) so that a burst of other load on a shared machine falls on both. The verdict is the median round of the
/// outbox's throughput: draining 1,000 queued messages (sent, delivered, Sent copies filed) against the plain loop
/// (composing, sending, delivered). The end-to-end ratio, which also counts persisting each request in its own
/// transaction one after another, is reported beside it.
/// Runs only with MAILROOM_BENCH_SEND=1 (bench/send-e2e.sh); prints a RESULT line.
/// </summary>
public sealed class SendBenchmark
{
    private const int Count = 1000;
    private const string User = "mr16";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Outbox_throughput_is_at_least_80_percent_of_a_plain_mailkit_loop()
    {
        if (Environment.GetEnvironmentVariable("MAILROOM_BENCH_SEND") != "1")
            Assert.Skip("benchmark: run bench/send-e2e.sh (MAILROOM_BENCH_SEND=1)");
        LiveServers.RequireDovecot();
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("MAILROOM_BENCH_SEND_ROUNDS"), out var r) && r > 0 ? r : 5;
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite);
        var mailbox = await host.AddDovecotAccountAsync(User);
        var smtp = new SmtpSettings { Host = LiveServers.Host, Port = LiveServers.SmtpPort, Security = TransportSecurity.StartTls, UserName = $"{User}@mailroom.test" };
        await host.Accounts.SetSmtpAsync(mailbox.Id, smtp, CancellationToken.None);
        // The steady state: a mailbox already known to leave filing to the client (the first batch of a new mailbox
        // also waits OutboxOptions.SentCopyWait for a server copy).
        await host.Accounts.SetSentFilingAsync(mailbox.Id, SentFiling.Client, CancellationToken.None);
        var composer = host.Services.GetRequiredService<MessageComposer>();

        var composeCpu = CpuMeter.Start();
        for (var i = 0; i < Count; i++)
            _ = composer.Compose(Draft(i));
        var composeUsage = composeCpu.Stop();

        var results = new List<Round>();
        for (var round = 0; round < rounds; round++)
        {
            // Every phase starts from an empty mailbox and ends when its work is done: every message delivered (and for
            // the outbox, every Sent copy filed). Work the servers do after the last SMTP reply is part of the phase
            // that caused it, and nothing carries over into the next phase.
            await Doveadm.ResetUserAsync(User);
            var plain = await PlainLoopAsync(composer);
            await Doveadm.ResetUserAsync(User);
            var (enqueue, drain, copies) = await OutboxAsync(host, mailbox.Id, composer, round);
            Assert.Equal(Count, copies);
            Assert.Equal(Count, await Doveadm.MessageCountAsync(User, "Sent"));
            results.Add(new Round(plain, enqueue, drain));
        }

        var median = results.OrderBy(x => x.Ratio).ElementAt(results.Count / 2);
        var drainMedian = results.OrderBy(x => x.DrainRatio).ElementAt(results.Count / 2);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"RESULT {{\"messages\": {Count}, \"rounds\": [{string.Join(", ", results.Select(x => x.Json))}], \"median_ratio\": {median.Ratio:F3}, \"median_drain_ratio\": {drainMedian.DrainRatio:F3}, \"compose_cpu_ms_per_message\": {composeUsage.Self * 1000 / Count:F2}}}");
        TestContext.Current.SendDiagnosticMessage(line);
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "mailroom-send-bench.json"), line[7..] + "\n", Ct);
        Assert.True(drainMedian.DrainRatio >= 0.8, line);
    }

    private static async Task WaitForAsync(string folder, int count)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        int held;
        while ((held = await Doveadm.MessageCountAsync(User, folder)) < count && DateTime.UtcNow < deadline)
            await Task.Delay(50, Ct);
        Assert.Equal(count, held);
    }

    private static OutgoingMessage Draft(int i) => new()
    {
        From = new($"{User}@mailroom.test", "Bench"),
        To = [new($"{User}@mailroom.test")],
        Subject = "Bench " + i.ToString(CultureInfo.InvariantCulture),
        Text = string.Concat(Enumerable.Repeat("A line of an ordinary business email, nothing special. ", 40)),
    };

    /// <summary>One connection, compose and send each message, nothing persisted, no Sent copy; done when all are delivered.</summary>
    private static async Task<Phase> PlainLoopAsync(MessageComposer composer)
    {
        var cpu = CpuMeter.Start();
        var clock = Stopwatch.StartNew();
        using (var client = new SmtpClient())
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(LiveServers.CaFile!);
            client.ServerCertificateValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var leaf = new X509Certificate2(certificate!);
                return chain.Build(leaf);
            };
            await client.ConnectAsync(LiveServers.Host, LiveServers.SmtpPort, SecureSocketOptions.StartTls, Ct);
            await client.AuthenticateAsync($"{User}@mailroom.test", $"{User}pass", Ct);
            for (var i = 0; i < Count; i++)
            {
                using var message = MimeMessage.Load(new MemoryStream(composer.Compose(Draft(i)).Raw), Ct);
                await client.SendAsync(message, Ct);
            }
            await client.DisconnectAsync(true, Ct);
        }
        await WaitForAsync("INBOX", Count);
        return new Phase(clock.Elapsed, cpu.Stop());
    }

    /// <summary>
    /// Compose and persist every request (one transaction each, as the API and CLI do), then drain the outbox as
    /// <c>serve</c> does (<see cref="OutboxSender.RunAsync"/>) until every message is delivered and its Sent copy filed.
    /// </summary>
    private static async Task<(Phase Enqueue, Phase Drain, int Copies)> OutboxAsync(MailroomTestHost host, long mailboxId, MessageComposer composer, int round)
    {
        var outbox = host.Services.GetRequiredService<IOutboxStore>();
        var sender = host.Services.GetRequiredService<OutboxSender>();
        var cpu = CpuMeter.Start();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Count; i++)
            await outbox.EnqueueAsync(mailboxId, string.Create(CultureInfo.InvariantCulture, $"bench-{round}-{i}"), composer.Compose(Draft(i)), CancellationToken.None);
        var enqueue = new Phase(clock.Elapsed, cpu.Stop());

        cpu = CpuMeter.Start();
        clock.Restart();
        var pass = OutboxPass.Empty;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var worker = sender.RunAsync(
            one =>
            {
                pass = pass.Add(one);
                if (one.Failed + one.Retrying + one.CopyErrors > 0)
                    done.TrySetException(new InvalidOperationException($"unexpected outcome: {one}"));
                else if (pass.Sent == Count && pass.CopiesFiled == Count)
                    done.TrySetResult();
            },
            ex => done.TrySetException(ex),
            stop.Token);
        await done.Task.WaitAsync(TimeSpan.FromMinutes(10), Ct);
        await WaitForAsync("INBOX", Count);
        var drain = new Phase(clock.Elapsed, cpu.Stop());
        await stop.CancelAsync();
        try
        {
            await worker;
        }
        catch (OperationCanceledException)
        {
            // Stopped while it looked for more work: the end of the run, not a failure.
        }
        return (enqueue, drain, pass.CopiesFiled);
    }

    private sealed record Phase(TimeSpan Elapsed, CpuUsage Cpu);

    private sealed record Round(Phase Plain, Phase Enqueue, Phase Drain)
    {
        /// <summary>Outbox throughput over the plain loop's, persisting the requests included.</summary>
        public double Ratio => Plain.Elapsed / (Enqueue.Elapsed + Drain.Elapsed);

        public double DrainRatio => Plain.Elapsed / Drain.Elapsed;

        public string Json => string.Create(CultureInfo.InvariantCulture,
            $"{{\"plain_s\": {Plain.Elapsed.TotalSeconds:F2}, \"enqueue_s\": {Enqueue.Elapsed.TotalSeconds:F2}, \"drain_s\": {Drain.Elapsed.TotalSeconds:F2}, \"ratio\": {Ratio:F3}, \"drain_ratio\": {DrainRatio:F3}, \"cpu_ms_per_message\": {{\"plain\": {Plain.Cpu.Per(Count)}, \"enqueue\": {Enqueue.Cpu.Per(Count)}, \"drain\": {Drain.Cpu.Per(Count)}}}}}");
    }
}

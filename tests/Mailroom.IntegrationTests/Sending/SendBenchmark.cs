using System.Diagnostics;
using System.Globalization;
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
/// against a plain MailKit loop over one connection, in the same run. Runs only with MAILROOM_BENCH_SEND=1
/// (bench/send-e2e.sh); prints a RESULT line.
/// </summary>
public sealed class SendBenchmark
{
    private const int Count = 1000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Outbox_throughput_is_at_least_80_percent_of_a_plain_mailkit_loop()
    {
        if (Environment.GetEnvironmentVariable("MAILROOM_BENCH_SEND") != "1")
            Assert.Skip("benchmark: run bench/send-e2e.sh (MAILROOM_BENCH_SEND=1)");
        LiveServers.RequireDovecot();
        await Doveadm.ResetUserAsync("mr16");
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite);
        var mailbox = await host.AddDovecotAccountAsync("mr16");
        var smtp = new SmtpSettings { Host = LiveServers.Host, Port = LiveServers.SmtpPort, Security = TransportSecurity.StartTls, UserName = "mr16@mailroom.test" };
        await host.Accounts.SetSmtpAsync(mailbox.Id, smtp, CancellationToken.None);
        await host.Accounts.SetSentFilingAsync(mailbox.Id, SentFiling.Client, CancellationToken.None);
        var composer = host.Services.GetRequiredService<MessageComposer>();
        OutgoingMessage Draft(int i) => new()
        {
            From = new("mr16@mailroom.test", "Bench"),
            To = [new("mr16@mailroom.test")],
            Subject = "Bench " + i.ToString(CultureInfo.InvariantCulture),
            Text = string.Concat(Enumerable.Repeat("A line of an ordinary business email, nothing special. ", 40)),
        };

        // Composing alone (no I/O), so that the CPU figures below can be read without it.
        var composeCpu = CpuMeter.Start();
        for (var i = 0; i < Count; i++)
            _ = composer.Compose(Draft(i));
        var composeUsage = composeCpu.Stop();

        // Plain loop: one connection, compose and send each message, nothing persisted.
        var plainCpu = CpuMeter.Start();
        var plain = Stopwatch.StartNew();
        using (var client = new SmtpClient())
        {
            var roots = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            roots.ImportFromPemFile(LiveServers.CaFile!);
            client.ServerCertificateValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                using var leaf = new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate!);
                return chain.Build(leaf);
            };
            await client.ConnectAsync(LiveServers.Host, LiveServers.SmtpPort, SecureSocketOptions.StartTls, Ct);
            await client.AuthenticateAsync("mr16@mailroom.test", "mr16pass", Ct);
            for (var i = 0; i < Count; i++)
            {
                using var message = MimeMessage.Load(new MemoryStream(composer.Compose(Draft(i)).Raw), Ct);
                await client.SendAsync(message, Ct);
            }
            await client.DisconnectAsync(true, Ct);
        }
        plain.Stop();
        var plainUsage = plainCpu.Stop();

        // Outbox: compose and persist every request, then drain it as `serve` does (RunAsync: claims of 100, one SMTP
        // connection per claim, each pass filing the previous pass's Sent copies over IMAP while it submits).
        var outbox = host.Services.GetRequiredService<IOutboxStore>();
        var sender = host.Services.GetRequiredService<OutboxSender>();
        var enqueueCpu = CpuMeter.Start();
        var total = Stopwatch.StartNew();
        for (var i = 0; i < Count; i++)
            await outbox.EnqueueAsync(mailbox.Id, "bench-" + i.ToString(CultureInfo.InvariantCulture), composer.Compose(Draft(i)), CancellationToken.None);
        var enqueued = total.Elapsed;
        var enqueueUsage = enqueueCpu.Stop();
        var drainCpu = CpuMeter.Start();
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
        total.Stop();
        var drainUsage = drainCpu.Stop();
        var drained = total.Elapsed - enqueued;
        await stop.CancelAsync();
        try
        {
            await worker;
        }
        catch (OperationCanceledException)
        {
            // Stopped while it looked for more work: the end of the run, not a failure.
        }

        var plainRate = Count / plain.Elapsed.TotalSeconds;
        var outboxRate = Count / total.Elapsed.TotalSeconds;
        var ratio = outboxRate / plainRate;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"RESULT {{\"messages\": {Count}, \"plain_s\": {plain.Elapsed.TotalSeconds:F2}, \"plain_per_s\": {plainRate:F1}, \"outbox_s\": {total.Elapsed.TotalSeconds:F2}, \"outbox_enqueue_s\": {enqueued.TotalSeconds:F2}, \"outbox_drain_s\": {drained.TotalSeconds:F2}, \"drain_ratio\": {plain.Elapsed.TotalSeconds / drained.TotalSeconds:F3}, \"outbox_per_s\": {outboxRate:F1}, \"ratio\": {ratio:F3}, \"sent_copies\": {pass.CopiesFiled}, \"cpu_ms_per_message\": {{\"compose_only\": {composeUsage.Per(Count)}, \"plain\": {plainUsage.Per(Count)}, \"enqueue\": {enqueueUsage.Per(Count)}, \"drain\": {drainUsage.Per(Count)}}}}}");
        TestContext.Current.SendDiagnosticMessage(line);
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "mailroom-send-bench.json"), line[7..] + "\n", Ct);
        Assert.Equal(Count, pass.CopiesFiled);
        Assert.True(ratio >= 0.8, line);
    }
}

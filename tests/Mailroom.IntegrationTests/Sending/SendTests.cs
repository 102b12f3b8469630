using System.Security.Cryptography;
using System.Text;
using Mailroom.Core.Accounts;
using Mailroom.Core.Sending;
using Mailroom.Core.Storage;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.Storage.Queries;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.IntegrationTests.Sending;

/// <summary>
/// Sending through the test Postfix into Dovecot, with a real SMTP login (Postfix authenticates against Dovecot's SASL
/// socket). One class, so its tests run one after another on the users mr13–mr16.
/// </summary>
public sealed class SendTests
{
    private const string Sender = "mr13";
    private static string Address(string user) => $"{user}@mailroom.test";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string[] AddAccount(string data, string name, string smtpUser = "") =>
    [
        "--data", data, "account", "add", "--imap", $"{LiveServers.Host}:{LiveServers.ImapPort}", "--user", Address(Sender),
        "--password-stdin", "--security", "starttls", "--ca-file", LiveServers.CaFile!, "--name", name,
        "--smtp", $"{LiveServers.Host}:{LiveServers.SmtpPort}", .. (smtpUser.Length > 0 ? new[] { "--smtp-user", smtpUser } : []),
    ];

    [Fact]
    public async Task A_reply_is_delivered_once_filed_in_sent_once_and_synced_back_as_the_same_message()
    {
        LiveServers.RequireDovecot();
        await Doveadm.ResetUserAsync(Sender);
        await Doveadm.ResetUserAsync("mr14");
        var originalId = $"orig-{Guid.NewGuid():N}@mailroom.test";
        await Doveadm.SaveAsync(Sender, "INBOX", Encoding.ASCII.GetBytes(
            $"From: Boris <mr14@mailroom.test>\r\nTo: mr13@mailroom.test\r\nSubject: Interview\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n" +
            $"Message-ID: <{originalId}>\r\nReferences: <root@mailroom.test>\r\n\r\nCan we meet on Friday?\r\n"));

        var data = TestArtifacts.CreateDataFolder("mailroom-send-");
        var add = await MailroomProcess.RunAsync(AddAccount(data, "sender"), stdin: "mr13pass\n");
        Assert.True(add.ExitCode == 0, add.Stderr);
        Assert.Contains("smtp 127.0.0.1:11025 starttls", add.Stdout, StringComparison.Ordinal);
        var sync = await MailroomProcess.RunAsync(["--data", data, "sync", "sender", "--quiet"]);
        Assert.True(sync.ExitCode == 0, sync.Stderr);

        long mailboxId, originalRow;
        await using (var host = await MailroomTestHost.StartAsync(Database.Sqlite, dataPath: data))
        {
            mailboxId = (await host.Accounts.FindMailboxAsync("sender", Ct))!.Id;
            originalRow = Assert.Single(await host.Services.GetRequiredService<MessageLookup>().FindByMessageIdAsync(mailboxId, originalId, Ct)).Id;
        }

        var environment = new Dictionary<string, string> { ["MAILROOM__Outbox__SentCopyWait"] = "00:00:02" };
        string[] send = ["--data", data, "send", "--account", "sender", "--to", "Борис <mr14@mailroom.test>", "--text", "Friday at 10 works. — Anna",
                         "--reply-to-message", originalRow.ToString(System.Globalization.CultureInfo.InvariantCulture), "--idempotency-key", "reply-1", "--wait"];
        var first = await MailroomProcess.RunAsync(send, environment: environment);
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        Assert.Contains("Sent copy appended", first.Stdout, StringComparison.Ordinal);
        var again = await MailroomProcess.RunAsync(send, environment: environment);
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        Assert.Contains("Already queued as", again.Stdout, StringComparison.Ordinal);

        var sync2 = await MailroomProcess.RunAsync(["--data", data, "sync", "sender", "--quiet"]);
        Assert.True(sync2.ExitCode == 0, sync2.Stderr);

        await using var check = await MailroomTestHost.StartAsync(Database.Sqlite, dataPath: data);
        var item = Assert.Single(await check.Services.GetRequiredService<IOutboxStore>().ListAsync(mailboxId, 10, Ct));
        var raw = (await check.Services.GetRequiredService<IOutboxStore>().GetRawAsync(item.Id, Ct))!;
        Assert.Equal((OutboxState.Sent, SentCopyState.Appended, 1), (item.State, item.SentCopy, item.Attempts));

        // Exactly one delivery, carrying the outbox bytes unchanged below Postfix's trace headers.
        var delivered = await MailboxProbe.WaitForAsync("mr14", "INBOX", item.MessageId, TimeSpan.FromSeconds(30));
        Assert.True(MailboxProbe.EndsWith(Assert.Single(delivered).Raw, raw), "the delivered message is the outbox message");
        // Exactly one Sent copy, byte for byte the outbox message, marked \Seen.
        var sent = Assert.Single(await MailboxProbe.FindAsync(Sender, "Sent", item.MessageId));
        Assert.Equal(raw, sent.Raw);
        Assert.True(sent.Flags.HasFlag(MailKit.MessageFlags.Seen));

        // Sync brought the copy back as one message: the outbox's bytes, linked to the message it answers.
        var lookup = check.Services.GetRequiredService<MessageLookup>();
        var synced = Assert.Single(await lookup.FindByMessageIdAsync(mailboxId, item.MessageId, Ct));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(raw)), synced.RawSha256);
        var reply = (await lookup.GetOriginalAsync(synced.Id, Ct))!.Value.Original;
        Assert.Equal("Re: Interview", reply.Subject);
        Assert.Equal(["root@mailroom.test", originalId], reply.References);
        // Threaded with the conversation it answers (threading runs as sync stores the copy).
        var inspector = check.Services.GetRequiredService<StoreInspector>();
        var thread = await inspector.FindThreadAsync(mailboxId, item.MessageId, Ct);
        Assert.NotNull(thread);
        Assert.Equal(await inspector.FindThreadAsync(mailboxId, originalId, Ct), thread);
        Assert.Equal(SentFiling.Client, (await check.Accounts.FindMailboxAsync("sender", Ct))!.SentFiling);
    }

    [Fact]
    public async Task An_append_interrupted_before_its_record_is_searched_for_and_never_doubled()
    {
        LiveServers.RequireDovecot();
        await Doveadm.ResetUserAsync(Sender);
        await Doveadm.ResetUserAsync("mr14");
        await using var host = await SenderHostAsync(Database.Sqlite);
        var (outbox, sender, mailboxId) = Parts(host);
        OutgoingMessage Draft(string subject) => new() { From = new(Address(Sender)), To = [new(Address("mr14"))], Subject = subject, Text = "Hello." };
        var (copied, _) = await outbox.EnqueueAsync(mailboxId, "copied", Composer(host).Compose(Draft("Copied")), Ct);
        await sender.RunOnceAsync(mailboxId, Ct);
        Assert.Equal((OutboxState.Sent, SentCopyState.Appended), ((await outbox.GetAsync(copied.Id, Ct))!.State, (await outbox.GetAsync(copied.Id, Ct))!.SentCopy));
        Assert.Equal(SentFiling.Client, (await host.Accounts.FindMailboxAsync(mailboxId.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct))!.SentFiling);

        // Two deaths between "appending" and "appended": one after the server stored the copy, one before it did.
        await outbox.SetSentCopiesAsync([copied.Id], SentCopyState.Appending, Ct);
        var (lost, _) = await outbox.EnqueueAsync(mailboxId, "lost", Composer(host).Compose(Draft("Lost")), Ct);
        var claim = Assert.Single(await outbox.MarkSendingAsync(await outbox.ClaimAsync(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), 10, mailboxId, Ct), Ct));
        Assert.Equal(1, await outbox.RecordAsync([SendResult.Sent(claim, "250 2.0.0 Ok", DateTimeOffset.UtcNow)], Ct));
        await outbox.SetSentCopiesAsync([lost.Id], SentCopyState.Appending, Ct);

        var pass = await sender.RunOnceAsync(mailboxId, Ct);

        Assert.Equal(2, pass.CopiesFiled);
        Assert.Single(await MailboxProbe.FindAsync(Sender, "Sent", copied.MessageId));
        Assert.Single(await MailboxProbe.FindAsync(Sender, "Sent", lost.MessageId));
        Assert.Equal(SentCopyState.Appended, (await outbox.GetAsync(copied.Id, Ct))!.SentCopy);
        Assert.Equal(SentCopyState.Appended, (await outbox.GetAsync(lost.Id, Ct))!.SentCopy);
        // Finding its own copy is no sign that the server files sent mail.
        Assert.Equal(SentFiling.Client, (await host.Accounts.FindMailboxAsync(mailboxId.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct))!.SentFiling);
    }

    [Fact]
    public async Task A_deferred_recipient_is_retried_then_delivered_once()
    {
        LiveServers.RequireDovecot();
        await Doveadm.ResetUserAsync("mr15");
        await using var host = await SenderHostAsync(Database.Postgres);
        var (outbox, sender, mailboxId) = Parts(host);
        var composed = Composer(host).Compose(new OutgoingMessage { From = new(Address(Sender)), To = [new(Address("mr15"))], Subject = "Deferred", Text = "Retry me." });
        await MailboxProbe.SetRecipientAccessAsync(Address("mr15"), "defer");
        try
        {
            var (item, _) = await outbox.EnqueueAsync(mailboxId, "deferred", composed, Ct);
            await sender.RunOnceAsync(mailboxId, Ct);
            var retrying = (await outbox.GetAsync(item.Id, Ct))!;
            Assert.Equal((OutboxState.Retrying, 451, 1), (retrying.State, retrying.LastCode, retrying.Attempts));
            Assert.Contains("deferred, try again later", retrying.LastReply, StringComparison.Ordinal);

            var due = retrying.NextAttemptAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200);
            await Task.Delay(due > TimeSpan.Zero ? due : TimeSpan.Zero, Ct);
            await sender.RunOnceAsync(mailboxId, Ct);
            Assert.Equal((OutboxState.Retrying, 2), ((await outbox.GetAsync(item.Id, Ct))!.State, (await outbox.GetAsync(item.Id, Ct))!.Attempts));
            Assert.Empty(await MailboxProbe.FindAsync("mr15", "INBOX", item.MessageId));

            await MailboxProbe.SetRecipientAccessAsync(Address("mr15"), "allow");
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await outbox.GetAsync(item.Id, Ct))!.State != OutboxState.Sent && DateTime.UtcNow < deadline)
            {
                await Task.Delay(300, Ct);
                await sender.RunOnceAsync(mailboxId, Ct);
            }
            var sent = (await outbox.GetAsync(item.Id, Ct))!;
            Assert.Equal(OutboxState.Sent, sent.State);
            Assert.True(sent.Attempts >= 3);
            Assert.Single(await MailboxProbe.WaitForAsync("mr15", "INBOX", item.MessageId, TimeSpan.FromSeconds(30)));
        }
        finally
        {
            await MailboxProbe.SetRecipientAccessAsync(Address("mr15"), "allow");
        }
    }

    [Fact]
    public async Task A_refused_recipient_fails_with_the_server_reply_and_leaves_no_sent_copy()
    {
        LiveServers.RequireDovecot();
        await MailboxProbe.SetRecipientAccessAsync(Address("mr15"), "allow"); // (re)installs the access map with the refused address
        await using var host = await SenderHostAsync(Database.Sqlite);
        var (outbox, sender, mailboxId) = Parts(host);
        var composed = Composer(host).Compose(new OutgoingMessage { From = new(Address(Sender)), To = [new("refused@mailroom.test")], Subject = "Refused", Text = "No." });
        var (item, _) = await outbox.EnqueueAsync(mailboxId, "refused", composed, Ct);

        var pass = await sender.RunOnceAsync(mailboxId, Ct);

        var failed = (await outbox.GetAsync(item.Id, Ct))!;
        Assert.Equal(1, pass.Failed);
        Assert.Equal((OutboxState.Failed, 554, 1), (failed.State, failed.LastCode, failed.Attempts));
        Assert.Contains("Recipient address rejected: Mailroom test: this recipient is always refused", failed.LastReply, StringComparison.Ordinal);
        Assert.Equal(SentCopyState.Pending, failed.SentCopy);
        Assert.Empty(await MailboxProbe.FindAsync(Sender, "Sent", item.MessageId));
    }

    [Fact]
    public async Task A_wrong_smtp_login_is_refused_before_the_account_is_saved()
    {
        LiveServers.RequireDovecot();
        var data = TestArtifacts.CreateDataFolder("mailroom-send-");
        // The IMAP login is right; the SMTP login names another user with this password, which Dovecot's SASL refuses.
        var add = await MailroomProcess.RunAsync(AddAccount(data, "wrong", smtpUser: Address("mr14")), stdin: "mr13pass\n");
        Assert.Equal(4, add.ExitCode);
        Assert.Contains("SMTP: Login refused", add.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("mr13pass", add.Stderr + add.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killed_while_sending_then_restarted_the_message_is_delivered_once()
    {
        LiveServers.RequireDovecot();
        await Doveadm.ResetUserAsync("mr16");
        var data = TestArtifacts.CreateDataFolder("mailroom-kill-send-");
        var add = await MailroomProcess.RunAsync(AddAccount(data, "sender"), stdin: "mr13pass\n");
        Assert.True(add.ExitCode == 0, add.Stderr);
        var attachment = Path.Combine(data, "big.bin");
        var bytes = new byte[24 * 1024 * 1024];
        Random.Shared.NextBytes(bytes);
        await File.WriteAllBytesAsync(attachment, bytes, Ct);

        var environment = new Dictionary<string, string> { ["MAILROOM__Outbox__Lease"] = "00:00:03", ["MAILROOM__Outbox__SentCopyWait"] = "00:00:01" };
        string[] send = ["--data", data, "send", "--account", "sender", "--to", Address("mr16"), "--subject", "Killed", "--text", "Big.",
                         "--attach", attachment, "--idempotency-key", "kill-1", "--wait"];
        string messageId;
        await using (var watcher = await MailroomTestHost.StartAsync(Database.Sqlite, dataPath: data))
        {
            var outbox = watcher.Services.GetRequiredService<IOutboxStore>();
            using var process = MailroomProcess.Start(send, environment: environment);
            OutboxItem? item = null;
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (item?.State != OutboxState.Sending && !process.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10, Ct);
                item = await outbox.ListAsync(null, 1, Ct) is [var newest, ..] ? newest : null;
            }
            process.Kill();
            await process.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
            var listed = await outbox.ListAsync(null, 1, Ct);
            Assert.True(listed.Count == 1, "the send process was killed before it queued the message: the test proves nothing");
            item = listed[0];
            Assert.True(item.State == OutboxState.Sending, $"killed in state {item.State}: the test proves nothing");
            messageId = item.MessageId;
        }

        // The restarted command finds the request by its key and, once the dead sender's lease has run out, sends it.
        var restarted = await MailroomProcess.RunAsync(send, environment: environment);
        Assert.True(restarted.ExitCode == 0, restarted.Stdout + restarted.Stderr);
        Assert.Contains("Already queued as", restarted.Stdout, StringComparison.Ordinal);

        Assert.Single(await MailboxProbe.WaitForAsync("mr16", "INBOX", messageId, TimeSpan.FromSeconds(60)));
        Assert.Single(await MailboxProbe.FindAsync(Sender, "Sent", messageId));
    }

    private static async Task<MailroomTestHost> SenderHostAsync(Database database)
    {
        var host = await MailroomTestHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Outbox:RetryInitial"] = "00:00:01",
            ["Outbox:RetryCap"] = "00:00:02",
            ["Outbox:SentCopyWait"] = "00:00:00",
        });
        var mailbox = await host.AddDovecotAccountAsync(Sender);
        await host.Accounts.SetSmtpAsync(mailbox.Id, new SmtpSettings
        {
            Host = LiveServers.Host, Port = LiveServers.SmtpPort, Security = TransportSecurity.StartTls, UserName = Address(Sender),
        }, CancellationToken.None);
        return host;
    }

    private static (IOutboxStore Outbox, OutboxSender Sender, long MailboxId) Parts(MailroomTestHost host)
    {
        var mailboxId = host.Accounts.ListMailboxesAsync(CancellationToken.None).GetAwaiter().GetResult().Single().Id;
        return (host.Services.GetRequiredService<IOutboxStore>(), host.Services.GetRequiredService<OutboxSender>(), mailboxId);
    }

    private static MessageComposer Composer(MailroomTestHost host) => host.Services.GetRequiredService<MessageComposer>();
}

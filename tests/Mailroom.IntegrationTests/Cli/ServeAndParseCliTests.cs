using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Mailroom.IntegrationTests.Infrastructure;

namespace Mailroom.IntegrationTests.Cli;

/// <summary><c>mailroom serve</c> answers /health and syncs on its own; <c>mailroom parse</c> shows a message.</summary>
public sealed class ServeAndParseCliTests : IDisposable
{
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-serve-");

    [Fact]
    public async Task Serve_answers_health_and_brings_in_new_mail_through_idle()
    {
        LiveServers.RequireDovecot();
        const string user = "mr5";
        await Doveadm.ResetUserAsync(user);
        await Doveadm.SaveAsync(user, "INBOX", TestMessages.Numbered(1));
        var add = await MailroomProcess.RunAsync(
            ["--data", _data, "account", "add", "--imap", $"{LiveServers.Host}:{LiveServers.ImapPort}", "--user", user,
             "--password-stdin", "--security", "starttls", "--ca-file", LiveServers.CaFile!],
            stdin: user + "pass\n");
        Assert.True(add.ExitCode == 0, add.Stderr);

        var port = FreePort();
        using var serve = MailroomProcess.Start(["--data", _data, "serve", "--urls", $"http://127.0.0.1:{port}"],
            environment: new Dictionary<string, string> { ["MAILROOM__Worker__PollInterval"] = "00:30:00" });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        JsonElement health = default;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                health = JsonDocument.Parse(await http.GetStringAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken)).RootElement;
                break;
            }
            catch (HttpRequestException)
            {
                Assert.False(serve.HasExited, "mailroom serve exited");
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        }
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(1, health.GetProperty("mailboxes").GetInt32());

        // Wait for the first sync, then deliver through Postfix: with polling every 30 minutes, only IDLE can bring it in.
        await using var watcher = await MailroomTestHost.StartAsync(Database.Sqlite, dataPath: _data);
        var mailbox = (await watcher.Accounts.FindMailboxAsync($"{user}@{LiveServers.Host}", CancellationToken.None))!;
        await watcher.WaitForInboxAsync(mailbox.Id, 1, TimeSpan.FromSeconds(60));
        await Task.Delay(500, TestContext.Current.CancellationToken);

        var sent = System.Diagnostics.Stopwatch.StartNew();
        using (var smtp = new MailKit.Net.Smtp.SmtpClient())
        {
            await smtp.ConnectAsync(LiveServers.Host, LiveServers.SmtpPort, MailKit.Security.SecureSocketOptions.None, TestContext.Current.CancellationToken);
            await smtp.SendAsync(MimeKit.MimeMessage.Load(new MemoryStream(TestMessages.Numbered(2, $"{user}@mailroom.test")), TestContext.Current.CancellationToken),
                MimeKit.MailboxAddress.Parse("sender@example.org"), [MimeKit.MailboxAddress.Parse($"{user}@mailroom.test")],
                TestContext.Current.CancellationToken);
            await smtp.DisconnectAsync(true, TestContext.Current.CancellationToken);
        }
        await watcher.WaitForInboxAsync(mailbox.Id, 2, TimeSpan.FromSeconds(15));
        TestContext.Current.TestOutputHelper?.WriteLine($"SMTP send to stored: {sent.ElapsedMilliseconds} ms");

        var status = await MailroomProcess.RunAsync(["--data", _data, "status", "--json"]);
        Assert.True(status.ExitCode == 0, status.Stderr);
        var view = JsonDocument.Parse(status.Stdout).RootElement[0];
        Assert.Equal("ok", view.GetProperty("account").GetProperty("state").GetString());
        var inboxView = view.GetProperty("folders").EnumerateArray().Single(f => f.GetProperty("path").GetString() == "INBOX");
        Assert.Equal(2, inboxView.GetProperty("messages").GetInt64());
        Assert.Equal("inbox", inboxView.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Parse_prints_the_mime_tree_and_fields()
    {
        var file = Path.Combine(_data, "m.eml");
        await File.WriteAllBytesAsync(file, TestMessages.Numbered(7), TestContext.Current.CancellationToken);
        var text = await MailroomProcess.RunAsync(["parse", file]);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("multipart/mixed", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("report-7.pdf", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("Report 7", text.Stdout, StringComparison.Ordinal);

        var json = await MailroomProcess.RunAsync(["parse", file, "--json"]);
        Assert.Equal(0, json.ExitCode);
        var root = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Equal("att-7@example.org", root.GetProperty("message").GetProperty("messageId").GetString());

        // A multipart without its boundary parameter, rebuilt at ingest: the tree shows the parts the attachment list has.
        var broken = Path.Combine(_data, "broken.eml");
        await File.WriteAllBytesAsync(broken, System.Text.Encoding.ASCII.GetBytes(
            "Subject: broken\r\nContent-Type: multipart/mixed\r\n\r\n--sep\r\nContent-Type: text/plain\r\n\r\nbody\r\n"
            + "--sep\r\nContent-Type: application/pdf; name=cv.pdf\r\n\r\n%PDF\r\n--sep--\r\n"), TestContext.Current.CancellationToken);
        var repaired = await MailroomProcess.RunAsync(["parse", broken, "--json"]);
        Assert.Equal(0, repaired.ExitCode);
        var tree = JsonDocument.Parse(repaired.Stdout).RootElement.GetProperty("tree");
        Assert.Equal(["1", "2"], tree.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("path").GetString()));
        Assert.Equal("cv.pdf", tree.GetProperty("children")[1].GetProperty("fileName").GetString());

        var missing = await MailroomProcess.RunAsync(["parse", Path.Combine(_data, "nope.eml")]);
        Assert.Equal(3, missing.ExitCode);
    }

    public void Dispose() => TestArtifacts.DeleteFolder(_data);

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Mailroom.IntegrationTests.Infrastructure;

namespace Mailroom.IntegrationTests.Cli;

/// <summary><c>mailroom serve</c> answers /health and syncs on its own; <c>mailroom parse</c> shows a message.</summary>
public sealed class ServeAndParseCliTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("mailroom-serve-").FullName;

    [Fact]
    public async Task Serve_answers_health_and_syncs_accounts_periodically()
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
            environment: new Dictionary<string, string> { ["MAILROOM__Serve__Interval"] = "00:00:01" });
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

        // The periodic sync picks up a message delivered while serving.
        await Doveadm.SaveAsync(user, "INBOX", TestMessages.Numbered(2));
        await using var watcher = await MailroomTestHost.StartAsync(Database.Sqlite, dataPath: _data);
        var mailbox = (await watcher.Accounts.FindMailboxAsync($"{user}@{LiveServers.Host}", CancellationToken.None))!;
        var count = 0;
        while (count < 2 && DateTime.UtcNow < deadline.AddSeconds(30))
        {
            await Task.Delay(250, TestContext.Current.CancellationToken);
            var inbox = (await watcher.Messages.ListFoldersAsync(mailbox.Id, CancellationToken.None)).FirstOrDefault(f => f.Path == "INBOX");
            count = inbox is null ? 0 : (await watcher.Messages.GetMembershipsAsync(inbox.Id, CancellationToken.None)).Count;
        }
        Assert.Equal(2, count);
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

        var missing = await MailroomProcess.RunAsync(["parse", Path.Combine(_data, "nope.eml")]);
        Assert.Equal(3, missing.ExitCode);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

using System.Text.Json;
using Mailroom.IntegrationTests.Infrastructure;

namespace Mailroom.IntegrationTests.Sync;

/// <summary><c>mailroom sync --since --folder</c> against the live Dovecot.</summary>
public sealed class SyncOptionsCliTests : IDisposable
{
    private const string User = "mr7";
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-window-");

    [Fact]
    public async Task Sync_window_and_folder_filter_limit_what_is_fetched()
    {
        LiveServers.RequireDovecot();
        await Doveadm.ResetUserAsync(User);
        await ImapLoader.AppendAsync(User, "INBOX", Enumerable.Range(0, 3).Select(n => TestMessages.Numbered(n)),
            internalDate: new DateTimeOffset(2020, 5, 1, 12, 0, 0, TimeSpan.Zero));
        await ImapLoader.AppendAsync(User, "INBOX", Enumerable.Range(3, 2).Select(n => TestMessages.Numbered(n)));
        await ImapLoader.AppendAsync(User, "Sent", Enumerable.Range(10, 2).Select(n => TestMessages.Numbered(n)));
        var add = await MailroomProcess.RunAsync(
            ["--data", _data, "account", "add", "--imap", $"{LiveServers.Host}:{LiveServers.ImapPort}", "--user", User,
             "--password-stdin", "--security", "starttls", "--ca-file", LiveServers.CaFile!, "--name", "window"],
            stdin: User + "pass\n");
        Assert.True(add.ExitCode == 0, add.Stderr);

        var sync = await MailroomProcess.RunAsync(["--data", _data, "sync", "window", "--since", "2025-01-01", "--folder", "INBOX", "--json"]);
        Assert.True(sync.ExitCode == 0, sync.Stderr);
        var summary = JsonDocument.Parse(sync.Stdout).RootElement[0].GetProperty("summary");
        Assert.Equal(2, summary.GetProperty("messagesFetched").GetInt64());

        var status = await MailroomProcess.RunAsync(["--data", _data, "status", "window", "--json"]);
        var folders = JsonDocument.Parse(status.Stdout).RootElement[0].GetProperty("folders").EnumerateArray()
            .ToDictionary(f => f.GetProperty("path").GetString()!);
        Assert.Equal(["INBOX"], folders.Keys);
        var inbox = folders["INBOX"];
        // Two stored (the sync window), five on the server; in step seconds ago, with no error.
        Assert.Equal(2, inbox.GetProperty("messages").GetInt64());
        Assert.Equal(5, inbox.GetProperty("serverCount").GetInt32());
        Assert.InRange(inbox.GetProperty("lagSeconds").GetInt64(), 0, 120);
        Assert.False(inbox.TryGetProperty("lastError", out _)); // null values are left out of --json

        var bad = await MailroomProcess.RunAsync(["--data", _data, "sync", "window", "--since", "last tuesday"]);
        Assert.NotEqual(0, bad.ExitCode);
    }

    public void Dispose() => TestArtifacts.DeleteFolder(_data);
}

using System.Text;
using System.Text.Json;
using Mailroom.IntegrationTests.Infrastructure;

namespace Mailroom.IntegrationTests.Cli;

/// <summary>
/// A mailbox whose login is no address (like the benchmark's <c>bench1</c>): its address comes from the From that
/// dominates its Sent folder after the first sync, and is then its default From.
/// </summary>
public sealed class AccountAddressCliTests : IDisposable
{
    private const string User = "mr20";
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-address-");

    [Fact]
    public async Task The_first_sync_learns_the_address_from_sent_and_send_uses_it()
    {
        LiveServers.RequireDovecot();
        await Doveadm.ResetUserAsync(User);
        await Doveadm.SaveAsync(User, "INBOX", Mail("in-1", "Other <other@example.net>", $"{User}@mailroom.test"));
        await Doveadm.SaveAsync(User, "INBOX", Mail("in-2", "Other <other@example.net>", $"{User}@mailroom.test"));
        await Doveadm.SaveAsync(User, "Sent", Mail("out-1", $"Me <{User}@mailroom.test>", "a@example.net"));
        await Doveadm.SaveAsync(User, "Sent", Mail("out-2", $"{User}@mailroom.test", "b@example.net"));
        await Doveadm.SaveAsync(User, "Sent", Mail("out-3", "Delegate <delegate@mailroom.test>", "c@example.net"));

        var add = await MailroomProcess.RunAsync(
            ["--data", _data, "account", "add", "--imap", $"{LiveServers.Host}:{LiveServers.ImapPort}", "--user", User, "--security", "starttls",
             "--ca-file", LiveServers.CaFile!, "--name", "desk", "--password-stdin", "--smtp", $"{LiveServers.Host}:{LiveServers.SmtpPort}", "--no-verify"],
            stdin: User + "pass\n");
        Assert.True(add.ExitCode == 0, add.Stderr);
        Assert.Contains("address not known yet", add.Stdout, StringComparison.Ordinal);

        // No address yet: send cannot guess the From.
        string[] send = ["--data", _data, "send", "--account", "desk", "--to", "x@example.net", "--subject", "Hi", "--text", "Hello."];
        var refused = await MailroomProcess.RunAsync(send);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("no address", refused.Stderr, StringComparison.Ordinal);

        var sync = await MailroomProcess.RunAsync(["--data", _data, "sync", "desk", "--quiet"]);
        Assert.True(sync.ExitCode == 0, sync.Stderr);

        var list = await MailroomProcess.RunAsync(["--data", _data, "account", "list", "--json"]);
        using (var json = JsonDocument.Parse(list.Stdout))
            Assert.Equal($"{User}@mailroom.test", json.RootElement[0].GetProperty("address").GetString());
        var shown = await MailroomProcess.RunAsync(["--data", _data, "account", "address", "desk"]);
        Assert.Equal($"{User}@mailroom.test", shown.Stdout.Trim());

        var queued = await MailroomProcess.RunAsync(send);
        Assert.True(queued.ExitCode == 0, queued.Stderr);
        Assert.Contains("Queued", queued.Stdout, StringComparison.Ordinal);

        // A person's choice replaces it, and a later sync does not undo it.
        var set = await MailroomProcess.RunAsync(["--data", _data, "account", "address", "desk", "Desk@Mailroom.test"]);
        Assert.True(set.ExitCode == 0, set.Stderr);
        Assert.True((await MailroomProcess.RunAsync(["--data", _data, "sync", "desk", "--quiet"])).ExitCode == 0);
        Assert.Equal("desk@mailroom.test", (await MailroomProcess.RunAsync(["--data", _data, "account", "address", "desk"])).Stdout.Trim());
    }

    private static byte[] Mail(string id, string from, string to) => Encoding.ASCII.GetBytes(
        $"From: {from}\r\nTo: {to}\r\nSubject: {id}\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\nMessage-ID: <{id}@mailroom.test>\r\n\r\nBody {id}.\r\n");

    public void Dispose() => TestArtifacts.DeleteFolder(_data);
}

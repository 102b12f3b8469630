using System.Text;
using Mailroom.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.IntegrationTests.Contacts;

/// <summary>
/// Contacts, privacy scope and import as a person runs them: the <c>mailroom</c> executable against the live Dovecot
/// (test user mr10 only) and archives generated here.
/// </summary>
public sealed class ContactCliTests : IDisposable
{
    private const string User = "mr10";
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-contacts-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Mail(string messageId, string from, string to, string subject, string? cc = null, int day = 1) =>
        Encoding.ASCII.GetBytes(
            $"From: {from}\r\nTo: {to}\r\n{(cc is null ? "" : $"Cc: {cc}\r\n")}Subject: {subject}\r\n" +
            $"Date: {day:00} Mar 2026 10:00:00 +0000\r\nMessage-ID: <{messageId}>\r\n\r\n{subject} body.\r\n");

    private Task<(int ExitCode, string Stdout, string Stderr)> Run(params string[] args) =>
        MailroomProcess.RunAsync(["--data", _data, .. args]);

    [Fact]
    public async Task Contacts_scope_stores_nothing_unrelated_and_fetches_a_new_contacts_old_mail_from_the_server()
    {
        LiveServers.RequireDovecot();
        await Doveadm.ResetUserAsync(User);
        await Doveadm.CreateFolderAsync(User, "Archive");
        await Doveadm.SaveAsync(User, "INBOX", Mail("s1@test", "Applicant <applicant@example.org>", "mr10@mailroom.test", "Application", day: 1));
        await Doveadm.SaveAsync(User, "INBOX", Mail("s2@test", "stranger@example.net", "mr10@mailroom.test", "Newsletter", day: 2));
        await Doveadm.SaveAsync(User, "INBOX", Mail("s3@test", "mr10@mailroom.test", "boss@example.com", "Candidate", cc: "APPLICANT@example.org", day: 3));
        await Doveadm.SaveAsync(User, "Archive", Mail("s4@test", "Late <late@example.org>", "mr10@mailroom.test", "Old thread", day: 4));
        await Doveadm.SaveAsync(User, "Archive", Mail("s5@test", "stranger@example.net", "mr10@mailroom.test", "More news", day: 5));

        var contact = await Run("contact", "add", "--external-id", "app-1", "--name", "Applicant", "--email", "applicant@example.org");
        Assert.True(contact.ExitCode == 0, contact.Stderr);
        var add = await MailroomProcess.RunAsync(
            ["--data", _data, "account", "add", "--imap", $"{LiveServers.Host}:{LiveServers.ImapPort}", "--user", User, "--password-stdin",
             "--security", "starttls", "--ca-file", LiveServers.CaFile!, "--scope", "contacts", "--json"],
            stdin: User + "pass\n");
        Assert.True(add.ExitCode == 0, add.Stderr);
        Assert.Contains("\"scope\": \"contacts\"", add.Stdout, StringComparison.Ordinal);

        Assert.Equal(0, (await Run("sync", "--quiet")).ExitCode);
        var timeline = await Run("contact", "timeline", "app-1");
        Assert.Contains("Candidate", timeline.Stdout, StringComparison.Ordinal);
        Assert.Contains("Application", timeline.Stdout, StringComparison.Ordinal);
        await using (var host = await MailroomTestHost.StartAsync(Database.Sqlite, dataPath: _data))
        {
            var mailbox = (await host.Accounts.FindMailboxAsync($"{User}@{LiveServers.Host}", Ct))!;
            Assert.Equal(2, (await host.Services.GetRequiredService<Mailroom.Storage.Queries.StoreInspector>().GetTotalsAsync(mailbox.Id, Ct)).Messages);
        }

        // Nothing unrelated is stored, so no address of it is known either.
        var candidates = await Run("contact", "candidates");
        Assert.DoesNotContain("stranger@example.net", candidates.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("late@example.org", candidates.Stdout, StringComparison.Ordinal);

        // A second sync fetches nothing again (skipped UIDs are known).
        var again = await Run("sync", "--quiet");
        Assert.Contains("RESULT {\"messages\": 0}", again.Stdout, StringComparison.Ordinal);

        // A contact added later: its old mail, skipped at sync, is fetched from the server.
        var late = await Run("contact", "add", "--external-id", "app-2", "--name", "Late", "--email", "Late@Example.org");
        Assert.True(late.ExitCode == 0, late.Stderr);
        Assert.Contains("fetched 1 skipped messages", late.Stderr, StringComparison.Ordinal);
        var lateTimeline = await Run("contact", "timeline", "app-2", "--json");
        Assert.Contains("Old thread", lateTimeline.Stdout, StringComparison.Ordinal);
        await using (var host = await MailroomTestHost.StartAsync(Database.Sqlite, dataPath: _data))
        {
            var mailbox = (await host.Accounts.FindMailboxAsync($"{User}@{LiveServers.Host}", Ct))!;
            Assert.Equal(3, (await host.Services.GetRequiredService<Mailroom.Storage.Queries.StoreInspector>().GetTotalsAsync(mailbox.Id, Ct)).Messages);
        }
    }

    [Fact]
    public async Task Import_of_mbox_and_maildir_feeds_contacts_and_a_deduplicated_timeline()
    {
        var work = TestArtifacts.CreateDataFolder("mailroom-import-");
        try
        {
            var mbox = Path.Combine(work, "recruiting.mbox");
            var shared = Mail("shared@imp", "Cand <cand@example.org>", "hr@example.com, boss@example.com", "Shared hello", day: 9);
            await using (var file = File.Create(mbox))
            {
                foreach (var (i, raw) in new[] { Mail("m1@imp", "cand@example.org", "hr@example.com", "First", day: 1), shared }.Index())
                {
                    await file.WriteAsync(Encoding.ASCII.GetBytes($"From cand@example.org Mon Mar  {i + 1} 10:00:00 2026\n"), Ct);
                    await file.WriteAsync(raw, Ct);
                    await file.WriteAsync("\n"u8.ToArray(), Ct);
                }
            }

            var maildir = Path.Combine(work, "boss");
            Directory.CreateDirectory(Path.Combine(maildir, "cur"));
            Directory.CreateDirectory(Path.Combine(maildir, "new"));
            Directory.CreateDirectory(Path.Combine(maildir, "tmp"));
            await File.WriteAllBytesAsync(Path.Combine(maildir, "cur", "1.M1.host:2,S"), [.. Encoding.ASCII.GetBytes("Received: by boss\r\n"), .. shared], Ct);
            await File.WriteAllBytesAsync(Path.Combine(maildir, "new", "2.M2.host"), Mail("m3@imp", "other@example.net", "boss@example.com", "Unrelated", day: 2), Ct);

            var first = await Run("import", mbox, "--account", "hr-archive", "--quiet");
            Assert.True(first.ExitCode == 0, first.Stderr);
            Assert.Contains("2 read, 2 new", first.Stdout, StringComparison.Ordinal);
            Assert.True((await Run("import", maildir, "--account", "boss-archive", "--quiet")).ExitCode == 0);
            var repeat = await Run("import", mbox, "--account", "hr-archive", "--quiet");
            Assert.Contains("2 read, 0 new, 2 already there", repeat.Stdout, StringComparison.Ordinal);

            var csv = Path.Combine(work, "contacts.csv");
            await File.WriteAllTextAsync(csv, "external_id,name,email\ncand-1,Cand,CAND@example.org;cand@home.example\nbad,Bad,nope\n", Ct);
            var import = await Run("contact", "import", csv);
            Assert.Equal(2, import.ExitCode);
            Assert.Contains("line 3", import.Stderr, StringComparison.Ordinal);
            Assert.Contains("1 rows rejected", import.Stdout, StringComparison.Ordinal);

            var timeline = await Run("contact", "timeline", "cand-1", "--json");
            Assert.True(timeline.ExitCode == 0, timeline.Stderr);
            Assert.Equal(2, CountOf(timeline.Stdout, "\"copies\":"));
            Assert.Contains("\"mailboxName\": \"boss-archive\"", timeline.Stdout, StringComparison.Ordinal);
            Assert.Contains("\"mailboxName\": \"hr-archive\"", timeline.Stdout, StringComparison.Ordinal);

            var paged = await Run("contact", "timeline", "cand-1", "--limit", "1");
            Assert.Contains("Shared hello", paged.Stdout, StringComparison.Ordinal);
            var cursor = paged.Stdout.Split("--cursor ")[1].Trim();
            var next = await Run("contact", "timeline", "cand-1", "--limit", "1", "--cursor", cursor);
            Assert.Contains("First", next.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("--cursor", next.Stdout, StringComparison.Ordinal);

            var candidates = await Run("contact", "candidates");
            Assert.Contains("other@example.net", candidates.Stdout, StringComparison.Ordinal);
            Assert.Equal(0, (await Run("contact", "update", "cand-1", "--remove-email", "cand@example.org")).ExitCode);
            Assert.Contains("No messages.", (await Run("contact", "timeline", "cand-1")).Stdout, StringComparison.Ordinal);
            Assert.Equal(0, (await Run("contact", "remove", "cand-1")).ExitCode);
            Assert.Equal(3, (await Run("contact", "show", "cand-1")).ExitCode);
            Assert.Equal(2, (await Run("import", csv)).ExitCode); // a CSV file is not an mbox
        }
        finally
        {
            TestArtifacts.DeleteFolder(work);
        }
    }

    private static int CountOf(string text, string value) => text.Split(value).Length - 1;

    public void Dispose() => TestArtifacts.DeleteFolder(_data);
}

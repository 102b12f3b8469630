using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Messages;
using Mailroom.Core.Sync;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.Server.Cli;
using Mailroom.Storage.Queries;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.IntegrationTests.Ingest;

/// <summary>
/// Every real-world message of ../shared/corpus goes through the ingest path into a real database and through what
/// <c>mailroom parse</c> prints, without an exception, and comes back byte for byte.
/// </summary>
public sealed class CorpusIngestTests
{
    [Fact]
    public Task Every_corpus_message_is_ingested_and_printed_on_sqlite() => IngestCorpusAsync(Database.Sqlite);

    [Fact]
    public Task Every_corpus_message_is_ingested_on_postgres() => IngestCorpusAsync(Database.Postgres);

    private static async Task IngestCorpusAsync(Database database)
    {
        var corpus = FindCorpus();
        if (corpus is null)
            Assert.Skip("../shared/corpus/messages not found (or MAILROOM_CORPUS unset): the corpus ingest test did not run.");
        if (database == Database.Postgres)
            LiveServers.RequirePostgres();

        var files = Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        await using var host = await MailroomTestHost.StartAsync(database);
        var org = await host.Accounts.EnsureOrganizationAsync("default", CancellationToken.None);
        var mailbox = await host.Accounts.AddMailboxAsync(org, "corpus", MailboxProtocol.Imap,
            new() { Host = "127.0.0.1", Port = 1, UserName = "corpus" }, "x", CancellationToken.None);
        var folder = await host.Messages.UpsertFolderAsync(mailbox.Id, new RemoteFolder("INBOX", '/', FolderRole.Inbox, true), CancellationToken.None);
        await host.Messages.ResetFolderAsync(folder.Id, 1, CancellationToken.None);

        var failures = new List<string>();
        var batch = new List<Core.Storage.IngestedMessage>();
        uint uid = 0;
        foreach (var file in files)
        {
            var raw = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
            try
            {
                var ingested = FolderFetchPipeline.Ingest(new FetchedMessage(++uid, MessageFlags.None, [], null, raw));
                batch.Add(ingested);
                if (database == Database.Sqlite)
                {
                    using var output = new StringWriter();
                    MimeTreePrinter.Print(MessageNormalizer.Parse(new MemoryStream(raw)), output);
                    MessageFieldsPrinter.Print(ingested.Message, raw.Length, output);
                }
            }
            catch (Exception ex)
            {
                failures.Add($"{Path.GetRelativePath(corpus, file)}: {ex.GetType().Name}: {ex.Message}");
            }
            if (batch.Count == 100)
            {
                await SaveAsync(host, folder.Id, batch, failures);
                batch.Clear();
            }
        }
        await SaveAsync(host, folder.Id, batch, failures);
        Assert.True(failures.Count == 0, "Corpus messages that failed:\n" + string.Join('\n', failures));

        var stored = await host.Messages.GetMembershipsAsync(folder.Id, CancellationToken.None);
        Assert.Equal(files.Count, stored.Count);
        for (uint i = 1; i <= files.Count; i++)
        {
            var raw = await host.Messages.GetRawAsync(stored[i].RawSha256, CancellationToken.None);
            Assert.Equal(await File.ReadAllBytesAsync(files[(int)i - 1], TestContext.Current.CancellationToken), raw);
        }
        var totals = await host.Services.GetRequiredService<StoreInspector>().GetTotalsAsync(mailbox.Id, CancellationToken.None);
        Assert.True(totals.Messages > 0);
    }

    private static async Task SaveAsync(MailroomTestHost host, long folderId, List<Core.Storage.IngestedMessage> batch, List<string> failures)
    {
        try
        {
            await host.Messages.SaveMessagesAsync(folderId, batch, CancellationToken.None);
        }
        catch (Exception ex)
        {
            failures.Add($"batch ending at UID {batch[^1].Fetched.Uid}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static string? FindCorpus()
    {
        if (Environment.GetEnvironmentVariable("MAILROOM_CORPUS") is { Length: > 0 } configured)
            return Directory.Exists(Path.Combine(configured, "messages")) ? Path.Combine(configured, "messages") : null;
        var corpus = Path.Combine(Doveadm.RepoRoot(), "..", "shared", "corpus", "messages");
        return Directory.Exists(corpus) ? Path.GetFullPath(corpus) : null;
    }
}

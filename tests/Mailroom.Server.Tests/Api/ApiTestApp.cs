using System.Net.Http.Headers;
using System.Text;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Identity;
using Mailroom.Core.Messages;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Server.Hosting;
using Mailroom.Storage;
using Mailroom.Storage.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Server.Tests.Api;

/// <summary>
/// The real Mailroom web app (the one <c>serve</c> runs, hosted workers included) over a TestServer and a fresh SQLite
/// database in its own data folder, started once per test class.
/// </summary>
public sealed class ApiTestApp : IAsyncLifetime
{
    private WebApplication? _app;

    public string DataPath { get; } = Directory.CreateTempSubdirectory("mailroom-api-").FullName;

    internal IServiceProvider Services => _app!.Services;

    internal WebApplication App => _app!;

    /// <summary>Extra settings, for tests that need them before the app starts.</summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    public async ValueTask InitializeAsync()
    {
        var values = new Dictionary<string, string?>(Settings) { ["DataPath"] = DataPath, ["Logging:LogLevel:Default"] = "Warning" };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        _app = MailroomWebApp.Build(configuration, builder => builder.WebHost.UseTestServer());
        await DatabaseInitializer.MigrateAsync(_app.Services, CancellationToken.None);
        await _app.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned later.
        }
    }

    /// <summary>A client that sends <paramref name="key"/> as its bearer token (none when null).</summary>
    public HttpClient Client(string? key)
    {
        var client = _app!.GetTestClient();
        if (key is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A new organization and an API key for it.</summary>
    internal async Task<(long OrgId, string Key)> NewOrganizationAsync(string name)
    {
        var org = await Services.GetRequiredService<IAccountStore>().EnsureOrganizationAsync(name, CancellationToken.None);
        var (_, key) = await Services.GetRequiredService<ApiKeyStore>().CreateAsync(org, "tests", CancellationToken.None);
        return (org, key);
    }

    /// <summary>A mailbox that no worker follows (paused), with an SMTP server that refuses connections.</summary>
    internal async Task<MailboxRecord> NewMailboxAsync(long org, string name)
    {
        var accounts = Services.GetRequiredService<IAccountStore>();
        var mailbox = await accounts.AddMailboxAsync(org, name, MailboxProtocol.Imap,
            new MailboxSettings { Host = "127.0.0.1", Port = 1, UserName = name + "@example.test", Address = name + "@example.test", Security = TransportSecurity.Tls }, "x", CancellationToken.None);
        await accounts.SetMailboxPausedAsync(mailbox.Id, true, CancellationToken.None);
        await accounts.SetSmtpAsync(mailbox.Id, new SmtpSettings { Host = "127.0.0.1", Port = 1, Security = TransportSecurity.Tls }, CancellationToken.None);
        return (await accounts.FindMailboxAsync(mailbox.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None))!;
    }

    internal async Task<StoredFolder> FolderAsync(long mailboxId, string path, FolderRole role) =>
        await Services.GetRequiredService<IMessageStore>().UpsertFolderAsync(mailboxId, new RemoteFolder(path, '/', role, true), CancellationToken.None);

    /// <summary>Stores raw messages in a folder through the real ingest (normalize, identify, thread, link).</summary>
    internal async Task StoreAsync(long folderId, params (uint Uid, MessageFlags Flags, string Raw)[] messages)
    {
        var batch = messages.Select(m =>
        {
            var raw = Encoding.UTF8.GetBytes(m.Raw.ReplaceLineEndings("\r\n"));
            var normalized = MessageNormalizer.Normalize(raw);
            var sha = MessageIdentity.Sha256Hex(raw);
            return new IngestedMessage(
                new FetchedMessage(m.Uid, m.Flags, [], normalized.Date, raw), normalized, sha, MessageIdentity.Compute(normalized, sha));
        }).ToList();
        await Services.GetRequiredService<IMessageStore>().SaveMessagesAsync(folderId, batch, CancellationToken.None);
    }
}

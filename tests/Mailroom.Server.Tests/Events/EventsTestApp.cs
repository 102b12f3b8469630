using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Messages;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Server.Api.V1;
using Mailroom.Server.Hosting;
using Mailroom.Storage;
using Mailroom.TestSupport.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Server.Tests.Events;

/// <summary>
/// The events endpoints in a real app over its own SQLite data folder, mounted in a <c>/v1</c> group the way the API
/// mounts them, behind a test authentication that sets the organization claim from the <c>X-Test-Org</c> header.
/// </summary>
internal sealed class EventsTestApp : IAsyncDisposable
{
    public const string OrganizationHeader = "X-Test-Org";

    private readonly LocalWebApp _app;
    private readonly string _data;

    private EventsTestApp(LocalWebApp app, string data)
    {
        _app = app;
        _data = data;
        Client = new HttpClient { BaseAddress = app.Address };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<EventsTestApp> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var data = Directory.CreateTempSubdirectory("mailroom-events-").FullName;
        var values = new Dictionary<string, string?>
        {
            ["DataPath"] = data,
            ["Changes:PollInterval"] = "00:00:00.200",
            ["Webhooks:AllowedNetworks:0"] = "127.0.0.1/32",
        };
        // A null value removes a default (Webhooks:AllowedNetworks:0 = null: no internal network allowed).
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            if (v is null)
                values.Remove(k);
            else
                values[k] = v;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var builder = LocalWebApp.CreateBuilder();
        builder.Services.AddMailroom(configuration);
        builder.Services.AddAuthentication("Test").AddScheme<AuthenticationSchemeOptions, TestAuthentication>("Test", null);
        builder.Services.AddAuthorization();
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        await DatabaseInitializer.MigrateAsync(app.Services, CancellationToken.None);
        app.UseAuthentication();
        app.UseAuthorization();
        var v1 = app.MapGroup("/v1").RequireAuthorization();
        v1.MapWebhooks();
        v1.MapChanges();
        return new EventsTestApp(await LocalWebApp.StartAsync(app, CancellationToken.None), data);
    }

    /// <summary>A request as organization <paramref name="organizationId"/>.</summary>
    public static HttpRequestMessage As(long organizationId, HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Add(OrganizationHeader, organizationId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return request;
    }

    /// <summary>A new organization with a mailbox and its INBOX.</summary>
    public async Task<(long Organization, long Mailbox, long Folder)> NewMailboxAsync()
    {
        var accounts = Services.GetRequiredService<IAccountStore>();
        var org = await accounts.EnsureOrganizationAsync("org-" + Guid.NewGuid().ToString("N"), CancellationToken.None);
        var mailbox = await accounts.AddMailboxAsync(org, "box", MailboxProtocol.Imap, new MailboxSettings { Host = "imap.example.com", Port = 993, UserName = "u" }, "x", CancellationToken.None);
        var folder = await Services.GetRequiredService<IMessageStore>().UpsertFolderAsync(mailbox.Id, new RemoteFolder("INBOX", '/', FolderRole.Inbox, CanSelect: true), CancellationToken.None);
        return (org, mailbox.Id, folder.Id);
    }

    /// <summary>Stores <paramref name="count"/> new messages in a folder (UIDs from <paramref name="firstUid"/>), as sync would.</summary>
    public Task IngestAsync(long folderId, uint firstUid, int count) =>
        Services.GetRequiredService<IMessageStore>().SaveMessagesAsync(folderId, [.. Enumerable.Range(0, count).Select(i => Message(firstUid + (uint)i))], CancellationToken.None);

    public static IngestedMessage Message(uint uid)
    {
        var id = $"{uid}.{Guid.NewGuid():N}@example.org";
        var raw = Encoding.ASCII.GetBytes(
            $"From: Ann <ann@example.org>\r\nTo: bob@example.com\r\nSubject: Message {uid}\r\nMessage-ID: <{id}>\r\n" +
            "Date: Wed, 04 Mar 2026 10:30:00 +0000\r\n\r\nHello.\r\n");
        return IngestedMessage.Of(new FetchedMessage(uid, MessageFlags.None, [], DateTimeOffset.UtcNow, raw), MessageNormalizer.Normalize(raw));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class TestAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(OrganizationHeader, out var org))
                return Task.FromResult(AuthenticateResult.NoResult());
            var identity = new ClaimsIdentity([new Claim(ApiPrincipal.OrganizationClaim, org.ToString())], "Test");
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), "Test")));
        }
    }
}

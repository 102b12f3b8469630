using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mailroom.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mailroom.IntegrationTests.Discovery;

/// <summary>
/// A real HTTPS server (Kestrel) on 127.0.0.1 serving Thunderbird autoconfig documents by Host header, with a
/// certificate for the test domains' autoconfig hosts signed by the test CA (scripts/lib/tls.sh). One per test run.
/// </summary>
public sealed class AutoconfigServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static AutoconfigServer? _shared;
    private readonly WebApplication _app;

    private AutoconfigServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Every request as HOST PATH, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<AutoconfigServer> SharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _shared ??= await StartAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<AutoconfigServer> StartAsync()
    {
        var certificate = IssueCertificate(["autoconfig.auto.test", "wellknown.test", "autoconfig.slow.test"]);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        AutoconfigServer? server = null;
        IResult Serve(HttpRequest request, bool wellKnown)
        {
            server!.Requests.Enqueue($"{request.Host.Host} {request.Path}");
            var xml = (request.Host.Host, wellKnown) switch
            {
                ("autoconfig.auto.test", false) => AutoTestDocument,
                ("wellknown.test", true) => WellKnownDocument,
                _ => null,
            };
            return xml is null ? Results.NotFound() : Results.Content(xml, "application/xml");
        }
        app.MapGet("/mail/config-v1.1.xml", (HttpRequest r) => Serve(r, false));
        app.MapGet("/.well-known/autoconfig/mail/config-v1.1.xml", (HttpRequest r) => Serve(r, true));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new AutoconfigServer(app, new Uri(address).Port);
        return server;
    }

    /// <summary>A server certificate for the names, signed by the test CA (its key is next to MAILROOM_TEST_CA).</summary>
    private static X509Certificate2 IssueCertificate(IEnumerable<string> names)
    {
        var caPem = LiveServers.CaFile!;
        using var ca = X509Certificate2.CreateFromPemFile(caPem, Path.Combine(Path.GetDirectoryName(caPem)!, "ca.key"));
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Mailroom autoconfig test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
            san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")], false));
        // A little slack for clock skew, but never before the CA itself: scripts/test-env.sh makes a new CA on a fresh
        // state folder, seconds before the tests start, and CertificateRequest.Create refuses a validity outside the CA's.
        var now = DateTimeOffset.UtcNow;
        var notBefore = Max(now.AddMinutes(-5), new DateTimeOffset(ca.NotBefore.ToUniversalTime()));
        var notAfter = Min(now.AddDays(1), new DateTimeOffset(ca.NotAfter.ToUniversalTime()));
        using var issued = request.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string Server(string element, string type, int port, string socketType, string user, string host = "localhost") => $"""
            <{element} type="{type}">
              <hostname>{host}</hostname>
              <port>{port}</port>
              <socketType>{socketType}</socketType>
              <username>{user}</username>
              <authentication>password-cleartext</authentication>
            </{element}>
        """;

    private static string Document(string domain, params string[] servers) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <clientConfig version="1.1">
          <emailProvider id="{domain}">
            <domain>{domain}</domain>
            <displayName>{domain} test mail</displayName>
        {string.Concat(servers)}
          </emailProvider>
        </clientConfig>
        """;

    /// <summary>auto.test: a first IMAP server nobody listens on, a plaintext one, then the real ones; logins are local parts.</summary>
    private static readonly string AutoTestDocument = Document("auto.test",
        Server("incomingServer", "imap", DiscoveryFixture.ClosedPort, "SSL", "%EMAILLOCALPART%"),
        Server("incomingServer", "imap", LiveServers.ImapPort, "plain", "%EMAILLOCALPART%"),
        Server("incomingServer", "imap", LiveServers.ImapsPort, "SSL", "%EMAILLOCALPART%"),
        Server("incomingServer", "pop3", LiveServers.Pop3sPort, "SSL", "%EMAILLOCALPART%"),
        Server("outgoingServer", "smtp", LiveServers.SmtpPort, "STARTTLS", "%EMAILLOCALPART%"));

    /// <summary>wellknown.test: only at DOMAIN/.well-known/autoconfig/.</summary>
    private static readonly string WellKnownDocument = Document("wellknown.test",
        Server("incomingServer", "imap", LiveServers.ImapPort, "STARTTLS", "%EMAILADDRESS%"));
}

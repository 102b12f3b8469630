using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Mailroom.TestSupport.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Mailroom.TestSupport.Ews;

/// <summary>
/// A fake Exchange Web Services endpoint (POST /EWS/Exchange.asmx) on https://127.0.0.1 with the test CA's server
/// certificate, over a <see cref="FakeEwsMailbox"/>: GetFolder (distinguished ids), SyncFolderHierarchy, SyncFolderItems
/// (MaxChangesReturned paging, IncludesLastItemInRange, ErrorInvalidSyncStateData), GetItem with MIME content and
/// CreateItem with SendAndSaveCopy. Basic authentication. Every request and every answer is validated against the EWS
/// schemas; what does not validate is kept in <see cref="Problems"/> (and a request that does not is refused as
/// Exchange would, with ErrorSchemaValidation). Tests can make the next requests fail with ErrorServerBusy.
/// </summary>
public sealed partial class FakeEwsServer : IAsyncDisposable
{
    private const string T = "http://schemas.microsoft.com/exchange/services/2006/types";
    private const string M = "http://schemas.microsoft.com/exchange/services/2006/messages";
    private const string S = "http://schemas.xmlsoap.org/soap/envelope/";

    private readonly LocalWebApp _app;
    private readonly System.Xml.Schema.XmlSchemaSet _schemas;
    private readonly ConcurrentQueue<int> _busy = new();
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentQueue<string> _operations = new();
    private readonly ConcurrentQueue<byte[]> _sent = new();
    private long _mimeServed;

    private readonly ConcurrentDictionary<string, NtlmServerExchange> _ntlmPending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _ntlmConnections = new(StringComparer.Ordinal);
    private long _ntlmLogins;

    private FakeEwsServer(LocalWebApp app, System.Xml.Schema.XmlSchemaSet schemas, FakeEwsMailbox mailbox, string user, string password)
    {
        _app = app;
        _schemas = schemas;
        Mailbox = mailbox;
        User = user;
        Password = password;
    }

    public FakeEwsMailbox Mailbox { get; }

    public string User { get; }

    /// <summary>The password Basic authentication accepts; a test may change it (a changed password).</summary>
    public string Password { get; set; }

    /// <summary>Accept NTLM (connection-based, MS-NLMP challenge/response) instead of Basic.</summary>
    public bool Ntlm { get; set; }

    /// <summary>NTLM handshakes that proved the password (one per connection).</summary>
    public long NtlmLogins => Interlocked.Read(ref _ntlmLogins);

    /// <summary>The EWS endpoint URL.</summary>
    public Uri Url => new(_app.Address, "/EWS/Exchange.asmx");

    /// <summary>The CA that signed the server certificate, for the connector's trusted CA.</summary>
    public static string? TestCa => Environment.GetEnvironmentVariable("MAILROOM_TEST_CA") is { Length: > 0 } ca && File.Exists(ca) ? ca : null;

    /// <summary>Schema violations of requests and answers; a test ends by asserting it is empty.</summary>
    public IReadOnlyList<string> Problems => [.. _problems];

    /// <summary>The operation of each request answered (after authentication), in order.</summary>
    public IReadOnlyList<string> Operations => [.. _operations];

    /// <summary>MIME content of the messages sent through CreateItem.</summary>
    public IReadOnlyList<byte[]> Sent => [.. _sent];

    /// <summary>Items whose MIME content was served by GetItem.</summary>
    public long MimeServed => Interlocked.Read(ref _mimeServed);

    /// <summary>Validate requests and answers against the schemas (true; a benchmark turns it off to measure the client).</summary>
    public bool CheckSchemas { get; set; } = true;

    /// <summary>Each request is answered this much later (a slow server, so that a test can kill a sync in its middle).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The next <paramref name="count"/> requests get an ErrorServerBusy fault asking for <paramref name="backOffMilliseconds"/>.</summary>
    public void ServerBusyNext(int count, int backOffMilliseconds)
    {
        for (var i = 0; i < count; i++)
            _busy.Enqueue(backOffMilliseconds);
    }

    /// <summary>Starts the fake; skips the calling test, saying why, without the EWS schemas or the test CA.</summary>
    /// <param name="port">A fixed port (one an SRV record names); 0 for any free one.</param>
    public static async Task<FakeEwsServer> StartAsync(FakeEwsMailbox mailbox, string user, string password, CancellationToken cancellationToken, int port = 0)
    {
        var schemas = EwsSchemas.Require();
        if (TestCa is not { } ca)
            throw new InvalidOperationException("MAILROOM_TEST_CA is unset: run eval \"$(scripts/test-env.sh env)\" first (the fake EWS serves the test CA's certificate).");
        var dir = Path.GetDirectoryName(ca)!;
        var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(dir, "server.pem"), Path.Combine(dir, "server.key"));
        var builder = LocalWebApp.CreateBuilder();
        builder.WebHost.UseUrls();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.UseHttps(certificate)));
        var app = builder.Build();
        FakeEwsServer? server = null;
        app.MapPost("/EWS/Exchange.asmx", (HttpContext context) => server!.HandleAsync(context));
        app.MapPost("/autodiscover/autodiscover.xml", (HttpContext context) => server!.AutodiscoverAsync(context));
        server = new FakeEwsServer(await LocalWebApp.StartAsync(app, cancellationToken), schemas, mailbox, user, password);
        return server;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        if (!(Ntlm ? NtlmAuthenticated(context) : Authenticated(context.Request)))
        {
            context.Response.StatusCode = 401;
            if (context.Response.Headers.WWWAuthenticate.Count == 0)
                context.Response.Headers.WWWAuthenticate = Ntlm ? "NTLM" : "Basic realm=\"127.0.0.1\"";
            return;
        }
        if (Delay > TimeSpan.Zero)
            await Task.Delay(Delay, context.RequestAborted);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var request = buffer.ToArray();
        var requestProblems = CheckSchemas ? EwsSchemas.Problems(_schemas, request) : [];
        foreach (var problem in requestProblems)
            _problems.Enqueue("request: " + problem);

        byte[] answer;
        var status = 200;
        if (requestProblems.Count > 0)
            (status, answer) = (500, Fault("ErrorSchemaValidation", "The request failed schema validation.", null));
        else if (_busy.TryDequeue(out var backOff))
            (status, answer) = (500, Fault("ErrorServerBusy", "The server cannot service this request right now. Try again later.", backOff));
        else
        {
            var body = XDocument.Parse(Encoding.UTF8.GetString(request)).Root!.Element(XName.Get("Body", S))!.Elements().Single();
            _operations.Enqueue(body.Name.LocalName);
            if (body.Name.LocalName == "GetStreamingEvents" && Streaming)
            {
                await StreamEventsAsync(context, body);
                return;
            }
            answer = Answer(body);
        }
        if (status == 200 && CheckSchemas)
        {
            foreach (var problem in EwsSchemas.Problems(_schemas, answer))
                _problems.Enqueue("answer: " + problem);
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml; charset=utf-8";
        await context.Response.Body.WriteAsync(answer, context.RequestAborted);
    }

    private bool Authenticated(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
            return false;
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])) == User + ":" + Password;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// NTLM as IIS does it: the handshake authenticates the connection; a NEGOTIATE gets a CHALLENGE (in a 401), an
    /// AUTHENTICATE is checked, and later requests on that connection pass without a header.
    /// </summary>
    private bool NtlmAuthenticated(HttpContext context)
    {
        var connection = context.Connection.Id;
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("NTLM ", StringComparison.Ordinal) && !header.StartsWith("Negotiate ", StringComparison.Ordinal))
            return header.Length == 0 && _ntlmConnections.ContainsKey(connection);
        byte[] token;
        try
        {
            token = Convert.FromBase64String(header[(header.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        }
        catch (FormatException)
        {
            return false;
        }
        _ntlmConnections.TryRemove(connection, out _);
        if (_ntlmPending.TryRemove(connection, out var exchange) && exchange.Authenticate(token))
        {
            _ntlmConnections[connection] = exchange.AuthenticatedUser!;
            Interlocked.Increment(ref _ntlmLogins);
            return true;
        }
        var fresh = new NtlmServerExchange(User, Password, "MAILROOM");
        if (fresh.Challenge(token) is { } challenge)
        {
            _ntlmPending[connection] = fresh;
            context.Response.Headers.WWWAuthenticate = "NTLM " + Convert.ToBase64String(challenge);
        }
        return false;
    }

    private static byte[] Fault(string code, string message, int? backOffMilliseconds) => Write(w =>
    {
        w.WriteStartElement("s", "Fault", S);
        w.WriteStartElement("faultcode");
        w.WriteAttributeString("xmlns", "a", null, T);
        w.WriteString("a:" + code);
        w.WriteEndElement();
        w.WriteElementString("faultstring", message);
        w.WriteStartElement("detail");
        w.WriteElementString("e", "ResponseCode", "http://schemas.microsoft.com/exchange/services/2006/errors", code);
        w.WriteElementString("e", "Message", "http://schemas.microsoft.com/exchange/services/2006/errors", message);
        if (backOffMilliseconds is { } ms)
        {
            w.WriteStartElement("t", "MessageXml", T);
            w.WriteStartElement("t", "Value", T);
            w.WriteAttributeString("Name", "BackOffMilliseconds");
            w.WriteString(ms.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
    });

    private static byte[] Write(Action<XmlWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("s", "Envelope", S);
            w.WriteStartElement("s", "Header", S);
            w.WriteStartElement("h", "ServerVersionInfo", T);
            w.WriteAttributeString("MajorVersion", "15");
            w.WriteAttributeString("MinorVersion", "2");
            w.WriteAttributeString("Version", "V2017_07_11");
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteStartElement("s", "Body", S);
            body(w);
            w.WriteEndElement();
            w.WriteEndElement();
        }
        return buffer.ToArray();
    }
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using Mailroom.Core.Html;
using Mailroom.Core.Storage;
using Mailroom.Server.View;
using Mailroom.TestSupport.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Mailroom.IntegrationTests.Html;

/// <summary>The real view endpoints (<see cref="ViewApi"/>) on 127.0.0.1, over messages held in memory.</summary>
public sealed class ViewTestServer : IAsyncDisposable
{
    private readonly LocalWebApp _app;
    private readonly MemoryMessages _messages = new();
    private long _nextId;

    private ViewTestServer(LocalWebApp app) => _app = app;

    /// <summary>The server's root without the trailing slash, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl => _app.Address.GetLeftPart(UriPartial.Authority);
    internal ViewUrlSigner Signer { get; private set; } = null!;
    internal MessageViewRenderer Renderer { get; private set; } = null!;

    /// <summary>A signed link (path and query) to message <paramref name="id"/>'s view, as the API hands out.</summary>
    public string Link(long id) => ViewApi.Link(Signer, id, DateTimeOffset.UtcNow.AddHours(1));

    public static async Task<ViewTestServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = LocalWebApp.CreateBuilder();
        if (Environment.GetEnvironmentVariable("MAILROOM_VIEW_TEST_LOG") == "1")
            builder.Logging.AddConsole();
        var messages = new MemoryMessages();
        var signer = new ViewUrlSigner(RandomNumberGenerator.GetBytes(32));
        builder.Services.AddSingleton<IRawMessageSource>(messages);
        builder.Services.AddSingleton<EmailHtmlSanitizer>();
        builder.Services.AddSingleton<MessageViewRenderer>();
        builder.Services.AddSingleton(signer);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new ImageProxyOptions());
        builder.Services.AddSingleton<IEgressPolicy, PublicInternetPolicy>();
        builder.Services.AddSingleton<IHostResolver, SystemHostResolver>();
        builder.Services.AddSingleton<ImageProxy>();
        var app = builder.Build();
        app.MapMailroomView();
        var server = new ViewTestServer(await LocalWebApp.StartAsync(app, cancellationToken))
        {
            Signer = signer,
            Renderer = app.Services.GetRequiredService<MessageViewRenderer>(),
        };
        server._messages.Inner = messages;
        return server;
    }

    /// <summary>Stores a message whose HTML body is <paramref name="html"/>; returns its id.</summary>
    public long AddHtml(string html, params MimeEntity[] related)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Sender", "sender@example.invalid"));
        message.To.Add(new MailboxAddress("Me", "me@example.invalid"));
        message.Subject = "vector";
        var body = new TextPart("html") { Text = html };
        if (related.Length == 0)
        {
            message.Body = body;
        }
        else
        {
            var multipart = new MultipartRelated { body };
            foreach (var part in related)
                multipart.Add(part);
            message.Body = multipart;
        }
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return Add(stream.ToArray());
    }

    public long Add(byte[] raw)
    {
        var id = Interlocked.Increment(ref _nextId);
        _messages.Inner!.Raw[id] = raw;
        return id;
    }

    public byte[] Raw(long id) => _messages.Inner!.Raw[id];

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private sealed class MemoryMessages : IRawMessageSource
    {
        public MemoryMessages? Inner { get; set; }
        public ConcurrentDictionary<long, byte[]> Raw { get; } = new();

        public Task<byte[]?> GetRawAsync(long messageId, CancellationToken cancellationToken) =>
            Task.FromResult((Inner ?? this).Raw.TryGetValue(messageId, out var raw) ? raw : null);
    }
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mailroom.IntegrationTests.Events;

/// <summary>A webhook receiver on 127.0.0.1 at a chosen port (so it can go down and come back), recording what arrives and when.</summary>
internal sealed class LiveReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LiveReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<(IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset At)> Received { get; } = new();

    public static async Task<LiveReceiver> StartAsync(int port, ConcurrentQueue<(IReadOnlyDictionary<string, string>, byte[], DateTimeOffset)>? into = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var self = new LiveReceiver(app);
        var sink = into ?? self.Received;
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            sink.Enqueue((context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray(), DateTimeOffset.UtcNow));
            return Results.NoContent();
        });
        await app.StartAsync();
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

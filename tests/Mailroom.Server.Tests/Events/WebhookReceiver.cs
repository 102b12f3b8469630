using System.Collections.Concurrent;
using Mailroom.TestSupport.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mailroom.Server.Tests.Events;

/// <summary>A local webhook receiver on 127.0.0.1 that records every request and answers as told.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly LocalWebApp _app;

    private WebhookReceiver(LocalWebApp app) => _app = app;

    public Uri Address => _app.Address;

    /// <summary>What <c>/hook</c> answers (default 204).</summary>
    public int Status { get; set; } = StatusCodes.Status204NoContent;

    /// <summary>How long <c>/hook</c> waits before answering.</summary>
    public TimeSpan Delay { get; set; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset At);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var app = LocalWebApp.CreateBuilder().Build();
        WebhookReceiver? self = null;
        app.Use(async (context, next) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            self!.Requests.Enqueue(new Received(
                context.Request.Path, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray(), DateTimeOffset.UtcNow));
            await next(context);
        });
        app.MapPost("/hook", async (CancellationToken ct) =>
        {
            if (self!.Delay > TimeSpan.Zero)
                await Task.Delay(self.Delay, ct);
            return Results.StatusCode(self.Status);
        });
        app.MapPost("/moved", () => Results.Redirect("/hook", permanent: true, preserveMethod: true));
        self = new WebhookReceiver(await LocalWebApp.StartAsync(app, CancellationToken.None));
        return self;
    }

    public Uri Url(string path) => new(Address, path);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

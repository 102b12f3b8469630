using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mailroom.Server.Tests.Events;

/// <summary>A local webhook receiver on 127.0.0.1 that records every request and answers as told.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>What <c>/hook</c> answers (default 204).</summary>
    public int Status { get; set; } = StatusCodes.Status204NoContent;

    /// <summary>How long <c>/hook</c> waits before answering.</summary>
    public TimeSpan Delay { get; set; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset At);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
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
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new WebhookReceiver(app, new Uri(address));
        return self;
    }

    public Uri Url(string path) => new(Address, path);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

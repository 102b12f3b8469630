using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mailroom.Server.Tests.View;

/// <summary>A local HTTP server on 127.0.0.1 serving good and bad images, redirects and slow answers; it counts every request.</summary>
internal sealed class LocalImageServer : IAsyncDisposable
{
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");
    private readonly WebApplication _app;

    private LocalImageServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }
    public ConcurrentQueue<string> Hits { get; } = new();
    public ConcurrentQueue<string> Headers { get; } = new();

    public static async Task<LocalImageServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        LocalImageServer? self = null;
        app.Use(async (context, next) =>
        {
            self!.Hits.Enqueue(context.Request.Path + context.Request.QueryString);
            foreach (var h in context.Request.Headers)
                self.Headers.Enqueue($"{h.Key}: {h.Value}");
            await next(context);
        });
        app.MapGet("/img.png", () => Results.Bytes(Png, "image/png"));
        app.MapGet("/big.png", () => Results.Bytes([.. Png, .. new byte[6 * 1024 * 1024]], "image/png"));
        app.MapGet("/chunked-big.png", async (HttpContext c) =>
        {
            c.Response.ContentType = "image/png";
            await c.Response.Body.WriteAsync(Png);
            for (var i = 0; i < 700; i++)
                await c.Response.Body.WriteAsync(new byte[10 * 1024]);
        });
        app.MapGet("/slow.png", async (CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            return Results.Bytes(Png, "image/png");
        });
        app.MapGet("/page.html", () => Results.Content("<script>alert(1)</script>", "text/html"));
        app.MapGet("/image.svg", () => Results.Content("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "image/svg+xml"));
        app.MapGet("/fake.png", () => Results.Bytes("<html><script>alert(1)</script>"u8.ToArray(), "image/png"));
        app.MapGet("/redirect", (string to) => Results.Redirect(to));
        app.MapGet("/loop/{n:int}", (int n) => Results.Redirect($"/loop/{n + 1}"));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new LocalImageServer(app, new Uri(address).Port);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Collections.Concurrent;
using Mailroom.TestSupport.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mailroom.Server.Tests.View;

/// <summary>A local HTTP server on 127.0.0.1 serving good and bad images, redirects and slow answers; it counts every request.</summary>
internal sealed class LocalImageServer : IAsyncDisposable
{
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");
    private readonly LocalWebApp _app;

    private LocalImageServer(LocalWebApp app) => _app = app;

    public int Port => _app.Address.Port;
    public ConcurrentQueue<string> Hits { get; } = new();
    public ConcurrentQueue<string> Headers { get; } = new();

    public static async Task<LocalImageServer> StartAsync(CancellationToken cancellationToken)
    {
        var app = LocalWebApp.CreateBuilder().Build();
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
        self = new LocalImageServer(await LocalWebApp.StartAsync(app, cancellationToken));
        return self;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

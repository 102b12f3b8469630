using System.Globalization;
using System.Net;
using System.Text;
using Mailroom.Core.Html;
using Mailroom.Core.Storage;
using MimeKit;

namespace Mailroom.Server.View;

/// <summary>
/// The endpoints the safe view needs: the message page (a sandboxed iframe), its view document, its inline images,
/// its parts as downloads, and the signed image proxy. Everything is rebuilt from the stored raw MIME.
/// A browser cannot send the API key from an iframe, so every message URL here needs a view link's signature
/// (<c>e</c> and <c>s</c>, from <c>GET /v1/messages/{id}/view</c>), which the page passes on to what it loads.
/// </summary>
internal static class ViewApi
{
    public static IEndpointRouteBuilder MapMailroomView(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/view");
        // Every URL of a message's view needs its link, checked once here for all of them.
        var message = group.MapGroup("/messages/{id:long}").AddEndpointFilter(RequireLinkAsync);
        message.MapGet("", PageAsync);
        message.MapGet("/body", BodyAsync);
        message.MapGet("/report", ReportAsync);
        message.MapGet("/inline/{index:int}", InlineAsync);
        message.MapGet("/parts/{index:int}", PartAsync);
        group.MapGet("/proxy", ProxyAsync);
        return app;
    }

    /// <summary>The URL of leaf part <paramref name="index"/> of message <paramref name="id"/> when shown inline.</summary>
    public static string InlineUrl(long id, int index) => string.Create(CultureInfo.InvariantCulture, $"/view/messages/{id}/inline/{index}");

    /// <summary>
    /// The view document of <paramref name="raw"/> exactly as <c>GET /view/messages/{id}/body</c> serves it; inline
    /// image URLs carry <paramref name="access"/> (a view link's query) when given.
    /// </summary>
    public static SafeHtml Render(MessageViewRenderer renderer, ViewUrlSigner signer, long id, byte[] raw, bool allowRemote, string? access = null) =>
        renderer.Render(raw, index => InlineUrl(id, index) + (access is null ? "" : "?" + access), allowRemote ? signer.Sign : null);

    /// <summary>The page of message <paramref name="id"/>'s view, opened by a signed link that lasts until <paramref name="expires"/>.</summary>
    public static string Link(ViewUrlSigner signer, long id, DateTimeOffset expires) =>
        string.Create(CultureInfo.InvariantCulture, $"/view/messages/{id}?{signer.SignMessage(id, expires)}");

    private static async Task<IResult> PageAsync(long id, HttpContext http, IRawMessageSource messages, MessageViewRenderer renderer,
        ViewUrlSigner signer, CancellationToken cancellationToken)
    {
        if (await messages.GetRawAsync(id, cancellationToken) is not { } raw)
            return TypedResults.Problem(statusCode: 404, title: "No such message");
        var access = Access(http);
        var remote = AllowRemote(http);
        var view = Render(renderer, signer, id, raw, remote, access);
        var body = string.Create(CultureInfo.InvariantCulture, $"/view/messages/{id}/body?{access}{(remote ? "&remote=1" : "")}");
        var toggle = string.Create(CultureInfo.InvariantCulture, $"/view/messages/{id}?{access}{(remote ? "" : "&remote=1")}");
        var r = view.Report;
        var summary = remote
            ? $"Remote images are loaded through Mailroom's proxy ({r.RemoteContentProxied}). {r.TrackingPixels} tracking pixel(s) removed, {r.TrackedLinks} tracked link(s)."
            : $"{r.RemoteContentBlocked} remote resource(s) blocked, {r.TrackingPixels} tracking pixel(s) removed, {r.TrackedLinks} tracked link(s).";
        var page = new StringBuilder(1024);
        page.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\"><title>Message</title>")
            .Append("<style>body{margin:0;font:14px sans-serif}.bar{padding:6px 10px;background:#f3f3f3;border-bottom:1px solid #ddd}")
            .Append("iframe{border:0;width:100%;height:calc(100vh - 40px)}</style></head><body><div class=\"bar\">")
            .Append(WebUtility.HtmlEncode(summary)).Append(" <a href=\"").Append(WebUtility.HtmlEncode(toggle)).Append("\">")
            .Append(remote ? "Block remote content" : "Show remote images").Append("</a></div>")
            .Append("<iframe sandbox=\"").Append(ViewSecurityPolicy.IframeSandbox).Append("\" referrerpolicy=\"no-referrer\" src=\"")
            .Append(WebUtility.HtmlEncode(body)).Append("\" title=\"Message content\"></iframe></body></html>");
        SetCommonHeaders(http);
        http.Response.Headers.ContentSecurityPolicy =
            "default-src 'none'; frame-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";
        return TypedResults.Content(page.ToString(), "text/html; charset=utf-8");
    }

    private static async Task<IResult> BodyAsync(long id, HttpContext http, IRawMessageSource messages, MessageViewRenderer renderer,
        ViewUrlSigner signer, CancellationToken cancellationToken)
    {
        if (await messages.GetRawAsync(id, cancellationToken) is not { } raw)
            return TypedResults.Problem(statusCode: 404, title: "No such message");
        var view = Render(renderer, signer, id, raw, AllowRemote(http), Access(http));
        SetCommonHeaders(http);
        http.Response.Headers.ContentSecurityPolicy = ViewSecurityPolicy.DocumentHeader;
        return TypedResults.Content(view.Html, "text/html; charset=utf-8");
    }

    private static async Task<IResult> ReportAsync(long id, HttpContext http, IRawMessageSource messages, MessageViewRenderer renderer,
        ViewUrlSigner signer, CancellationToken cancellationToken)
    {
        if (await messages.GetRawAsync(id, cancellationToken) is not { } raw)
            return TypedResults.Problem(statusCode: 404, title: "No such message");
        var report = Render(renderer, signer, id, raw, AllowRemote(http)).Report;
        return TypedResults.Ok(PrivacyReportJson.From(report));
    }

    private static async Task<IResult> InlineAsync(long id, int index, HttpContext http, IRawMessageSource messages, CancellationToken cancellationToken)
    {
        if (await LoadPartAsync(id, index, messages, cancellationToken) is not { } part || !MessageViewRenderer.IsInlineImage(part))
            return TypedResults.Problem(statusCode: 404, title: "No such inline image");
        SetDownloadHeaders(http);
        http.Response.Headers.CacheControl = "private, max-age=86400";
        return TypedResults.Bytes(Decode(part), part.ContentType.MimeType.ToLowerInvariant());
    }

    private static async Task<IResult> PartAsync(long id, int index, HttpContext http, IRawMessageSource messages, CancellationToken cancellationToken)
    {
        if (await LoadPartAsync(id, index, messages, cancellationToken) is not { } part)
            return TypedResults.Problem(statusCode: 404, title: "No such part");
        SetDownloadHeaders(http);
        var name = part.FileName ?? string.Create(CultureInfo.InvariantCulture, $"part-{index}");
        return TypedResults.File(Decode(part), DownloadType(part), fileDownloadName: name);
    }

    private static async Task<IResult> ProxyAsync(HttpContext http, ViewUrlSigner signer, ImageProxy proxy, CancellationToken cancellationToken)
    {
        var url = signer.Verify(http.Request.Query["u"], http.Request.Query["s"]);
        if (url is null)
            return TypedResults.Problem(statusCode: 403, title: "Not a URL Mailroom signed");
        var result = await proxy.FetchAsync(url, cancellationToken);
        SetDownloadHeaders(http);
        if (result.Body is null)
            return TypedResults.Problem(statusCode: result.Status, title: "Image not fetched", detail: result.Reason);
        http.Response.Headers.CacheControl = "private, max-age=3600";
        return TypedResults.Bytes(result.Body, result.ContentType);
    }

    /// <summary>
    /// The Content-Type a part is downloaded with: never shown in the browser, typed as what it claims only when that
    /// cannot be a document.
    /// </summary>
    public static string DownloadType(MimePart part)
    {
        var type = part.ContentType.MimeType.ToLowerInvariant();
        return MessageViewRenderer.IsInlineImage(part) || type is "application/pdf" or "text/plain" or "text/calendar" or "application/zip"
            ? type : "application/octet-stream";
    }

    private static bool AllowRemote(HttpContext http) => http.Request.Query["remote"] == "1";

    /// <summary>Lets a request through only with a view link that opens its message now.</summary>
    private static async ValueTask<object?> RequireLinkAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var id = long.Parse((string)http.Request.RouteValues["id"]!, CultureInfo.InvariantCulture);
        var signer = http.RequestServices.GetRequiredService<ViewUrlSigner>();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!signer.VerifyMessage(id, http.Request.Query["e"], http.Request.Query["s"], now))
            return TypedResults.Problem(statusCode: 403, title: "Not a valid view link",
                detail: string.Create(CultureInfo.InvariantCulture, $"View links are signed and expire; get a new one from GET /v1/messages/{id}/view."));
        return await next(context);
    }

    /// <summary>The request's view-link query (checked by <see cref="RequireLinkAsync"/>), passed on to what the view loads.</summary>
    private static string Access(HttpContext http) => $"e={http.Request.Query["e"]}&s={http.Request.Query["s"]}";

    private static async Task<MimePart?> LoadPartAsync(long id, int index, IRawMessageSource messages, CancellationToken cancellationToken)
    {
        if (await messages.GetRawAsync(id, cancellationToken) is not { } raw)
            return null;
        var message = await MimeMessage.LoadAsync(new MemoryStream(raw, writable: false), cancellationToken);
        var parts = MessageViewRenderer.LeafParts(message);
        return index >= 0 && index < parts.Count ? parts[index] : null;
    }

    public static byte[] Decode(MimePart part)
    {
        using var buffer = new MemoryStream();
        part.Content?.DecodeTo(buffer);
        return buffer.ToArray();
    }

    private static void SetCommonHeaders(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-DNS-Prefetch-Control"] = "off";
        headers.XFrameOptions = "SAMEORIGIN";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers.CacheControl = "private, no-store";
    }

    public static void SetDownloadHeaders(HttpContext http)
    {
        SetCommonHeaders(http);
        http.Response.Headers.ContentSecurityPolicy = ViewSecurityPolicy.Download;
    }
}

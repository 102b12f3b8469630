using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Caching.Memory;

namespace Mailroom.Server.View;

/// <summary>
/// Fetches remote images for the view when the viewer allows remote content. Sends no cookies, referrer or
/// identifying headers; every address it dials is checked by the egress policy (at connect time, so DNS answers and
/// redirects are covered); redirects are followed by hand and each is checked again; size, time and content type are
/// limited; results are cached in memory.
/// </summary>
internal sealed class ImageProxy : IDisposable
{
    private static readonly HashSet<string> ImageTypes = new(StringComparer.OrdinalIgnoreCase)
    { "image/png", "image/jpeg", "image/pjpeg", "image/gif", "image/webp", "image/avif", "image/bmp", "image/x-icon", "image/vnd.microsoft.icon" };

    private readonly ImageProxyOptions _options;
    private readonly IEgressPolicy _policy;
    private readonly IHostResolver _resolver;
    private readonly HttpClient _http;
    private readonly MemoryCache _cache;

    public ImageProxy(ImageProxyOptions options, IEgressPolicy policy, IHostResolver resolver)
    {
        _options = options;
        _policy = policy;
        _resolver = resolver;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.CacheBytes });
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = ConnectAsync,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The image at <paramref name="url"/>, or why it was refused.</summary>
    public async Task<ProxyResult> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(url.AbsoluteUri, out ProxyResult? cached) && cached is not null)
            return cached;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        ProxyResult result;
        try
        {
            result = await FetchUncachedAsync(url, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = ProxyResult.Refused(StatusCodes.Status504GatewayTimeout, $"no complete answer within {_options.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e) when (e.InnerException is EgressRefusedException refused)
        {
            result = ProxyResult.Refused(StatusCodes.Status403Forbidden, refused.Message);
        }
        catch (HttpRequestException e)
        {
            result = ProxyResult.Refused(StatusCodes.Status502BadGateway, "fetch failed: " + e.Message);
        }
        if (result.Body is not null)
        {
            _cache.Set(url.AbsoluteUri, result, new MemoryCacheEntryOptions
            {
                Size = result.Body.Length + 256,
                AbsoluteExpirationRelativeToNow = _options.CacheDuration,
            });
        }
        return result;
    }

    private async Task<ProxyResult> FetchUncachedAsync(Uri url, CancellationToken cancellationToken)
    {
        for (var hop = 0; ; hop++)
        {
            if (CheckUrl(url) is { } bad)
                return ProxyResult.Refused(StatusCodes.Status403Forbidden, bad);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Mailroom-ImageProxy", "1.0"));
            request.Headers.Accept.ParseAdd("image/avif,image/webp,image/png,image/jpeg,image/gif,image/*;q=0.8");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is 301 or 302 or 303 or 307 or 308)
            {
                if (hop >= _options.MaxRedirects)
                    return ProxyResult.Refused(StatusCodes.Status502BadGateway, $"more than {_options.MaxRedirects} redirects");
                if (response.Headers.Location is not { } location)
                    return ProxyResult.Refused(StatusCodes.Status502BadGateway, "redirect without a Location");
                url = location.IsAbsoluteUri ? location : new Uri(url, location);
                continue;
            }
            if (!response.IsSuccessStatusCode)
                return ProxyResult.Refused(StatusCodes.Status502BadGateway, $"the server answered {status}");
            var type = response.Content.Headers.ContentType?.MediaType ?? "";
            if (!ImageTypes.Contains(type))
                return ProxyResult.Refused(StatusCodes.Status415UnsupportedMediaType, $"not an allowed image type: '{type}'");
            if (response.Content.Headers.ContentLength > _options.MaxBytes)
                return ProxyResult.Refused(StatusCodes.Status413PayloadTooLarge, $"larger than {_options.MaxBytes} bytes");
            var body = await ReadLimitedAsync(response.Content, cancellationToken);
            if (body is null)
                return ProxyResult.Refused(StatusCodes.Status413PayloadTooLarge, $"larger than {_options.MaxBytes} bytes");
            if (!ImageSniffer.Matches(body, type))
                return ProxyResult.Refused(StatusCodes.Status415UnsupportedMediaType, $"the bytes are not a {type} image");
            return ProxyResult.Image(body, type.ToLowerInvariant());
        }
    }

    private static string? CheckUrl(Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            return "only http and https URLs are fetched";
        if (url.UserInfo.Length > 0)
            return "URLs with credentials are not fetched";
        return null;
    }

    private async Task<byte[]?> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > _options.MaxBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    // Every connection the handler opens comes through here: resolve, check every address, dial an allowed one.
    private ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken) =>
        EgressConnector.ConnectAsync(_policy, _resolver, context, cancellationToken);

    public void Dispose()
    {
        _http.Dispose();
        _cache.Dispose();
    }
}

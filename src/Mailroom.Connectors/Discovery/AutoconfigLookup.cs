using System.Net;
using System.Net.Sockets;
using Mailroom.Connectors.Imap;

namespace Mailroom.Connectors.Discovery;

/// <summary>
/// Downloads the domain's autoconfig document from <c>autoconfig.DOMAIN/mail/config-v1.1.xml</c> and
/// <c>DOMAIN/.well-known/autoconfig/mail/config-v1.1.xml</c> at once; the first in that order that answers wins.
/// Host names resolve through discovery's resolver; redirects are not followed.
/// </summary>
internal sealed class AutoconfigLookup : IDisposable
{
    private const int MaxDocumentBytes = 256 * 1024;
    private readonly HttpClient _http;
    private readonly DiscoveryOptions _options;

    public AutoconfigLookup(DnsLookup dns, DiscoveryOptions options)
    {
        _options = options;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = options.LookupTimeout,
            ConnectCallback = dns.ConnectAsync,
        };
        if (options.TrustedCaFile is { Length: > 0 } ca)
            handler.SslOptions.RemoteCertificateValidationCallback = CertificateTrust.ForCaFile(ca);
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = MaxDocumentBytes };
    }

    public IReadOnlyList<Uri> Urls(string domain)
    {
        var port = _options.AutoconfigPort is { } p ? ":" + p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        return
        [
            new Uri($"{_options.AutoconfigScheme}://autoconfig.{domain}{port}/mail/config-v1.1.xml"),
            new Uri($"{_options.AutoconfigScheme}://{domain}{port}/.well-known/autoconfig/mail/config-v1.1.xml"),
        ];
    }

    public async Task<SourceFindings> FindAsync(MailAddress address, CancellationToken cancellationToken)
    {
        var urls = Urls(address.Domain);
        var downloads = urls.Select(u => DownloadAsync(u, cancellationToken)).ToArray();
        var failures = new List<string>();
        var timedOut = false;
        foreach (var (url, download) in urls.Zip(downloads))
        {
            try
            {
                var (xml, none) = await download;
                if (xml is null)
                {
                    failures.Add($"{url.Host}{url.AbsolutePath}: {none}");
                    continue;
                }
                var (candidates, notes) = AutoconfigDocument.Parse(xml, address);
                var detail = $"document at {url}" + (notes.Count > 0 ? "; " + string.Join("; ", notes) : "");
                return candidates.Count == 0 ? SourceFindings.None(detail + "; no usable server in it") : new SourceFindings(candidates, detail);
            }
            catch (TimeoutException)
            {
                timedOut = true;
                failures.Add($"{url.Host}: no answer within {_options.LookupTimeout.TotalSeconds:0.#} s");
            }
            catch (DiscoveryFailure ex)
            {
                failures.Add($"{url}: {ex.Message}");
            }
        }
        var why = string.Join("; ", failures);
        if (timedOut)
            throw new TimeoutException(why);
        return SourceFindings.None(why);
    }

    /// <returns>The document, or null and why there is none (no such host, 404).</returns>
    private async Task<(string? Xml, string? None)> DownloadAsync(Uri url, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.LookupTimeout);
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseContentRead, deadline.Token).WaitAsync(deadline.Token);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone or HttpStatusCode.Forbidden)
                return (null, $"HTTP {(int)response.StatusCode}");
            if (!response.IsSuccessStatusCode)
                throw new DiscoveryFailure($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            return (await response.Content.ReadAsStringAsync(deadline.Token), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(url.ToString());
        }
        catch (HttpRequestException ex) when (ex.InnerException is TimeoutException timeout)
        {
            throw new TimeoutException($"{url}: {timeout.Message}", ex);
        }
        catch (HttpRequestException ex) when (FindFailure(ex) is { } failure)
        {
            // Our ConnectCallback said the host name does not exist: that is "no document", not an error.
            return (null, failure.Message);
        }
        catch (HttpRequestException ex)
        {
            throw new DiscoveryFailure(Describe(ex), ex);
        }
    }

    private static DiscoveryFailure? FindFailure(Exception ex)
    {
        for (var e = ex.InnerException; e is not null; e = e.InnerException)
        {
            if (e is DiscoveryFailure f)
                return f;
        }
        return null;
    }

    private static string Describe(HttpRequestException ex)
    {
        var inner = ex.InnerException;
        return inner switch
        {
            SocketException s => $"connect failed: {s.SocketErrorCode}",
            System.Security.Authentication.AuthenticationException a => "TLS failed: " + a.Message,
            TimeoutException => "timed out",
            _ => ex.Message,
        };
    }

    public void Dispose() => _http.Dispose();
}

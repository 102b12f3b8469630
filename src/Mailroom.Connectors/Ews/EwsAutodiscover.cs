using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using Mailroom.Connectors.Discovery;
using Mailroom.Connectors.Imap;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.Ews;

/// <summary>
/// Finds a mailbox's EWS URL from its address by POX Autodiscover (MS-OXDSCLI), in the order Outlook uses:
/// <c>https://autodiscover.DOMAIN/autodiscover/autodiscover.xml</c>, <c>https://DOMAIN/autodiscover/autodiscover.xml</c>,
/// then the hosts of the <c>_autodiscover._tcp.DOMAIN</c> SRV record. Names resolve through discovery's resolver
/// (<c>Discovery:DnsServer</c>) and TLS trusts what discovery trusts; each request carries the login (Basic or NTLM),
/// only ever over https. redirectAddr and redirectUrl answers are followed (at most <see cref="MaxRedirects"/>). A 401
/// is a refused login and ends the search; an unreachable host, a 404 or a broken answer moves on to the next. What
/// is found is not trusted yet: onboarding logs in to it (GetFolder) before anything is stored.
/// </summary>
public sealed class EwsAutodiscover(DiscoveryOptions options)
{
    public const int MaxRedirects = 10;
    private const string Path = "/autodiscover/autodiscover.xml";
    private readonly DnsLookup _dns = new(options);

    /// <summary>The EWS URL and which look-up answered (<c>autodiscover</c> or <c>autodiscover-srv</c>), or null and every reason.</summary>
    public async Task<(Uri? EwsUrl, string Source, IReadOnlyList<string> Tried)> FindAsync(
        string address, string user, string password, EwsAuthentication authentication, string? trustedCaFile, CancellationToken cancellationToken)
    {
        using var http = Client(user, password, authentication, trustedCaFile ?? options.TrustedCaFile);
        var basic = authentication == EwsAuthentication.Basic
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)))
            : null;
        var tried = new List<string>();
        var email = address;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            var domain = email[(email.LastIndexOf('@') + 1)..];
            EwsAutodiscoverAnswer? answer = null;
            var source = "autodiscover";
            foreach (var url in PoxUrls(domain))
            {
                if ((answer = await AskAsync(http, basic, url, email, tried, cancellationToken)) is not null)
                    break;
            }
            if (answer is null)
            {
                source = "autodiscover-srv";
                foreach (var url in await SrvUrlsAsync(domain, tried, cancellationToken))
                {
                    if ((answer = await AskAsync(http, basic, url, email, tried, cancellationToken)) is not null)
                        break;
                }
            }
            if (answer is null)
                return (null, source, tried);
            // redirectUrl names the server to ask about the same address; its answer is followed as any other.
            for (var via = 0; answer.RedirectUrl is { } redirect && via < MaxRedirects; via++)
            {
                if ((answer = await AskAsync(http, basic, redirect, email, tried, cancellationToken)) is null)
                    return (null, source, tried);
            }
            if (answer.EwsUrl is { } ews)
                return (ews, source, tried);
            if (answer.RedirectAddress is not { } next || !next.Contains('@', StringComparison.Ordinal))
            {
                tried.Add(answer.Error ?? "the answer names neither an EWS URL nor a redirect");
                return (null, source, tried);
            }
            tried.Add($"redirected from {email} to {next}");
            email = next;
        }
        tried.Add($"more than {MaxRedirects} redirects");
        return (null, "autodiscover", tried);
    }

    private IEnumerable<Uri> PoxUrls(string domain)
    {
        var port = options.AutodiscoverPort is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "";
        yield return new Uri($"https://autodiscover.{domain}{port}{Path}");
        yield return new Uri($"https://{domain}{port}{Path}");
    }

    /// <summary>The SRV record's hosts, by priority then weight (RFC 2782), each at the port it names.</summary>
    private async Task<IReadOnlyList<Uri>> SrvUrlsAsync(string domain, List<string> tried, CancellationToken cancellationToken)
    {
        var name = "_autodiscover._tcp." + domain;
        try
        {
            var records = await _dns.SrvAsync(name, cancellationToken);
            var urls = records.Where(r => r.Target.Value.TrimEnd('.').Length > 0)
                .OrderBy(r => r.Priority).ThenByDescending(r => r.Weight)
                .Select(r => new Uri($"https://{r.Target.Value.TrimEnd('.')}:{r.Port.ToString(CultureInfo.InvariantCulture)}{Path}"))
                .ToList();
            if (urls.Count == 0)
                tried.Add($"{name}: no SRV record");
            return urls;
        }
        catch (Exception ex) when (ex is TimeoutException or DiscoveryFailure)
        {
            tried.Add($"{name}: {ex.Message}");
            return [];
        }
    }

    /// <returns>The answer, or null (recorded in <paramref name="tried"/>) when this URL gives none.</returns>
    private async Task<EwsAutodiscoverAnswer?> AskAsync(
        HttpClient http, AuthenticationHeaderValue? basic, Uri url, string email, List<string> tried, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(EwsAutodiscoverDocument.Request(email)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        request.Headers.Authorization = basic;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                throw new ConnectorException(ConnectorErrorKind.AuthenticationFailed, $"Autodiscover at {url.Host}: the credentials were refused (401).");
            if (!response.IsSuccessStatusCode)
            {
                tried.Add($"{url}: HTTP {(int)response.StatusCode}");
                return null;
            }
            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            var answer = EwsAutodiscoverDocument.Read(body);
            if (answer.Error is { } error && answer.EwsUrl is null && answer.RedirectAddress is null && answer.RedirectUrl is null)
            {
                tried.Add($"{url}: {error}");
                return null;
            }
            return answer;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            tried.Add($"{url}: no answer within {options.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            tried.Add($"{url}: {(ex.InnerException is DiscoveryFailure f ? f.Message : ex.Message)}");
        }
        catch (XmlException ex)
        {
            tried.Add($"{url}: not an Autodiscover answer ({ex.Message})");
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            // NTLM names its service by the host's canonical name, asked of the system resolver: a host only
            // Discovery:DnsServer knows fails there.
            tried.Add($"{url}: {ex.Message}");
        }
        return null;
    }

    /// <summary>The login for NTLM only: a server that offers Basic instead gets nothing (Basic is chosen, not fallen into).</summary>
    private sealed class NtlmOnly(NetworkCredential credential) : ICredentials
    {
        public NetworkCredential? GetCredential(Uri uri, string authType) =>
            string.Equals(authType, "NTLM", StringComparison.OrdinalIgnoreCase) ? credential : null;
    }

    private HttpClient Client(string user, string password, EwsAuthentication authentication, string? trustedCaFile)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = options.LookupTimeout,
            ConnectCallback = _dns.ConnectAsync,
        };
        if (authentication == EwsAuthentication.Ntlm)
            handler.Credentials = new NtlmOnly(new NetworkCredential(user, password));
        if (trustedCaFile is { Length: > 0 } ca)
            handler.SslOptions.RemoteCertificateValidationCallback = CertificateTrust.ForCaFile(ca);
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = 1024 * 1024 };
    }
}

using System.Net;
using Mailroom.Server.View;

namespace Mailroom.Server.Tests.View;

/// <summary>
/// The image proxy against local HTTP servers on 127.0.0.1. Refusals use the production policy and check that the
/// target server saw no request at all; the limit tests allow exactly one local endpoint (standing in for a public
/// host) and nothing else, so redirects from it are checked by the production rules.
/// </summary>
public sealed class ImageProxyTests : IAsyncLifetime
{
    private LocalImageServer _public = null!;   // stands in for a host on the internet
    private LocalImageServer _internal = null!; // a service that must stay unreachable

    public async ValueTask InitializeAsync()
    {
        _public = await LocalImageServer.StartAsync(TestContext.Current.CancellationToken);
        _internal = await LocalImageServer.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _public.DisposeAsync();
        await _internal.DisposeAsync();
    }

    private sealed class TestResolver(Dictionary<string, IPAddress[]> names) : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            names.TryGetValue(host, out var a) ? Task.FromResult(a) : new SystemHostResolver().ResolveAsync(host, cancellationToken);
    }

    private sealed class OneLocalEndpoint(int port, IEgressPolicy production) : IEgressPolicy
    {
        public string? Refuse(IPAddress address, int p) =>
            address.Equals(IPAddress.Loopback) && p == port ? null : production.Refuse(address, p);
    }

    private static TestResolver Resolver() => new(new Dictionary<string, IPAddress[]>
    {
        ["public.test"] = [IPAddress.Loopback],
        ["loopback.test"] = [IPAddress.Loopback],
        ["metadata.test"] = [IPAddress.Parse("169.254.169.254")],
        ["private.test"] = [IPAddress.Parse("10.1.2.3")],
        ["mapped.test"] = [IPAddress.Parse("::ffff:127.0.0.1")],
        ["v6loop.test"] = [IPAddress.IPv6Loopback],
        ["mixed.test"] = [IPAddress.Parse("93.184.216.34"), IPAddress.Loopback],
    });

    private ImageProxy Production(ImageProxyOptions? options = null) =>
        new(options ?? new ImageProxyOptions { AllowedPorts = [80, 443, _internal.Port] }, new PublicInternetPolicy(options ?? new ImageProxyOptions { AllowedPorts = [80, 443, _internal.Port] }), Resolver());

    private ImageProxy AllowingPublic(ImageProxyOptions? options = null)
    {
        options ??= new ImageProxyOptions();
        options.AllowedPorts = [80, 443, _public.Port, _internal.Port];
        return new ImageProxy(options, new OneLocalEndpoint(_public.Port, new PublicInternetPolicy(options)), Resolver());
    }

    public static TheoryData<string> RefusedDirectly() => new()
    {
        "http://127.0.0.1:{port}/img.png",
        "http://127.1:{port}/img.png",
        "http://2130706433:{port}/img.png",
        "http://0x7f000001:{port}/img.png",
        "http://0x7f.0.0.1:{port}/img.png",
        "http://0177.0.0.1:{port}/img.png",
        "http://[::1]:{port}/img.png",
        "http://[::ffff:127.0.0.1]:{port}/img.png",
        "http://[::ffff:7f00:1]:{port}/img.png",
        "http://0.0.0.0:{port}/img.png",
        "http://localhost:{port}/img.png",
        "http://loopback.test:{port}/img.png",
        "http://mapped.test:{port}/img.png",
        "http://v6loop.test:{port}/img.png",
        "http://mixed.test:{port}/img.png",
    };

    [Theory]
    [MemberData(nameof(RefusedDirectly))]
    public async Task Loopback_targets_are_refused_before_any_connection(string template)
    {
        using var proxy = Production();
        var url = new Uri(template.Replace("{port}", _internal.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var result = await proxy.FetchAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(403, result.Status);
        Assert.Null(result.Body);
        Assert.Empty(_internal.Hits);
    }

    [Theory]
    [InlineData("http://metadata.test/latest/meta-data/", "cloud metadata")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "cloud metadata")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/", "unique local")]
    [InlineData("http://100.100.100.200/latest/meta-data/", "carrier-grade NAT")]
    [InlineData("http://private.test/x.png", "private")]
    [InlineData("http://192.168.1.1/x.png", "private")]
    [InlineData("http://172.16.0.1/x.png", "private")]
    [InlineData("http://169.254.1.1/x.png", "link-local")]
    [InlineData("http://[fe80::1]/x.png", "link-local")]
    [InlineData("http://224.0.0.1/x.png", "multicast")]
    [InlineData("http://[ff02::1]/x.png", "multicast")]
    public async Task Private_link_local_multicast_and_metadata_targets_are_refused(string url, string reason)
    {
        using var proxy = Production();
        var result = await proxy.FetchAsync(new Uri(url), TestContext.Current.CancellationToken);
        Assert.Equal(403, result.Status);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{internal}/img.png")]
    [InlineData("http://localhost:{internal}/img.png")]
    [InlineData("http://loopback.test:{internal}/img.png")]
    [InlineData("http://mapped.test:{internal}/img.png")]
    [InlineData("http://[::ffff:127.0.0.1]:{internal}/img.png")]
    [InlineData("http://2130706433:{internal}/img.png")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://metadata.test/latest/meta-data/")]
    public async Task Redirects_to_refused_targets_are_refused(string target)
    {
        using var proxy = AllowingPublic();
        var to = target.Replace("{internal}", _internal.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var url = new Uri($"http://public.test:{_public.Port}/redirect?to={Uri.EscapeDataString(to)}");
        var result = await proxy.FetchAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(403, result.Status);
        Assert.Single(_public.Hits);
        Assert.Empty(_internal.Hits);
    }

    [Fact]
    public async Task An_allowed_image_is_fetched_without_identifying_headers_and_cached()
    {
        using var proxy = AllowingPublic();
        var url = new Uri($"http://public.test:{_public.Port}/img.png");
        var first = await proxy.FetchAsync(url, TestContext.Current.CancellationToken);
        var second = await proxy.FetchAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(200, first.Status);
        Assert.Equal(LocalImageServer.Png, first.Body);
        Assert.Equal("image/png", first.ContentType);
        Assert.Equal(first.Body, second.Body);
        Assert.Single(_public.Hits); // the second answer came from the cache
        Assert.DoesNotContain(_public.Headers, h => h.StartsWith("Cookie", StringComparison.OrdinalIgnoreCase)
            || h.StartsWith("Referer", StringComparison.OrdinalIgnoreCase) || h.StartsWith("X-Forwarded", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(_public.Headers, h => h == "User-Agent: Mailroom-ImageProxy/1.0");
    }

    [Fact]
    public async Task A_redirect_to_an_allowed_image_is_followed()
    {
        using var proxy = AllowingPublic();
        var url = new Uri($"http://public.test:{_public.Port}/redirect?to=%2Fimg.png");
        var result = await proxy.FetchAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(200, result.Status);
        Assert.Equal(2, _public.Hits.Count);
    }

    [Theory]
    [InlineData("/big.png", 413)]
    [InlineData("/chunked-big.png", 413)]
    [InlineData("/page.html", 415)]
    [InlineData("/image.svg", 415)]
    [InlineData("/fake.png", 415)]
    [InlineData("/loop/0", 502)]
    public async Task Limits_are_enforced(string path, int status)
    {
        using var proxy = AllowingPublic();
        var result = await proxy.FetchAsync(new Uri($"http://public.test:{_public.Port}{path}"), TestContext.Current.CancellationToken);
        Assert.Equal(status, result.Status);
        Assert.Null(result.Body);
    }

    [Fact]
    public async Task A_slow_server_hits_the_deadline()
    {
        using var proxy = AllowingPublic(new ImageProxyOptions { Timeout = TimeSpan.FromSeconds(1) });
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await proxy.FetchAsync(new Uri($"http://public.test:{_public.Port}/slow.png"), TestContext.Current.CancellationToken);
        Assert.Equal(504, result.Status);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(4), started.Elapsed.ToString());
    }

    [Fact]
    public async Task The_redirect_limit_counts_hops()
    {
        using var proxy = AllowingPublic(new ImageProxyOptions { MaxRedirects = 2 });
        var result = await proxy.FetchAsync(new Uri($"http://public.test:{_public.Port}/loop/0"), TestContext.Current.CancellationToken);
        Assert.Equal(502, result.Status);
        Assert.Equal(3, _public.Hits.Count);
    }

    [Fact]
    public void Proxy_urls_are_signed_and_a_changed_url_or_signature_is_rejected()
    {
        var signer = new ViewUrlSigner(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var signed = new Uri("http://x" + signer.Sign(new Uri("https://example.com/a.png")));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(signed.Query);
        Assert.Equal(new Uri("https://example.com/a.png"), signer.Verify(query["u"], query["s"]));
        var other = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("http://x" + signer.Sign(new Uri("https://example.com/b.png"))).Query);
        Assert.Null(signer.Verify(other["u"], query["s"]));
        Assert.Null(signer.Verify(query["u"], "AAAA"));
        Assert.Null(new ViewUrlSigner(new byte[32]).Verify(query["u"], query["s"]));
    }
}

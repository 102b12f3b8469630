using System.Security.Cryptography;
using Mailroom.Server.View;
using Microsoft.AspNetCore.WebUtilities;

namespace Mailroom.Server.Tests.View;

/// <summary>View links: one message, until their expiry, under this key only.</summary>
public sealed class ViewUrlSignerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private readonly ViewUrlSigner _signer = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void A_link_opens_its_message_until_it_expires()
    {
        var (e, s) = Parts(_signer.SignMessage(42, Now.AddHours(1)));

        Assert.True(_signer.VerifyMessage(42, e, s, Now));
        Assert.True(_signer.VerifyMessage(42, e, s, Now.AddHours(1)));
        Assert.False(_signer.VerifyMessage(42, e, s, Now.AddHours(1).AddSeconds(1)));
    }

    [Fact]
    public void A_link_opens_no_other_message_and_no_other_expiry()
    {
        var (e, s) = Parts(_signer.SignMessage(42, Now.AddHours(1)));

        Assert.False(_signer.VerifyMessage(43, e, s, Now));
        Assert.False(_signer.VerifyMessage(42, (long.Parse(e, System.Globalization.CultureInfo.InvariantCulture) + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture), s, Now));
        Assert.False(_signer.VerifyMessage(42, e, s[..^1] + (s[^1] == 'A' ? 'B' : 'A'), Now));
        Assert.False(new ViewUrlSigner(RandomNumberGenerator.GetBytes(32)).VerifyMessage(42, e, s, Now));
        Assert.False(_signer.VerifyMessage(42, null, s, Now));
        Assert.False(_signer.VerifyMessage(42, e, null, Now));
        Assert.False(_signer.VerifyMessage(42, "-1", s, Now));
    }

    [Fact]
    public void A_proxy_signature_is_not_a_view_link()
    {
        var proxy = QueryHelpers.ParseQuery(new Uri("http://x" + _signer.Sign(new Uri("https://images.example/a.png"))).Query);

        Assert.False(_signer.VerifyMessage(42, proxy["u"], proxy["s"], Now));
    }

    [Theory]
    [InlineData("http://localhost/a.png")]
    [InlineData("http://cdn.localhost/a.png")]
    [InlineData("http://localhost.localdomain/a.png")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://camera.local/a.png")]
    [InlineData("http://router.home.arpa/a.png")]
    [InlineData("http://intranet/a.png")]
    [InlineData("http://127.0.0.1/a.png")]
    [InlineData("http://[::1]/a.png")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.1.2.3/a.png")]
    public void The_proxy_signs_no_url_whose_host_can_only_be_internal(string url) =>
        Assert.Null(_signer.Sign(new Uri(url)));

    [Theory]
    [InlineData("https://images.example/a.png")]
    [InlineData("https://local.example.org/a.png")]
    [InlineData("http://93.184.216.34/a.png")]
    public void The_proxy_signs_public_urls(string url) =>
        Assert.StartsWith(ViewUrlSigner.Path + "?u=", _signer.Sign(new Uri(url)), StringComparison.Ordinal);

    private static (string E, string S) Parts(string query)
    {
        var parsed = QueryHelpers.ParseQuery(query);
        return (parsed["e"].ToString(), parsed["s"].ToString());
    }
}

using System.Text;
using Mailroom.Core.Events;

namespace Mailroom.Server.Tests.Events;

/// <summary><see cref="WebhookSignature"/>: the documented scheme, checked against an independent HMAC (openssl).</summary>
public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_test_secret_1234";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"a\":1}");
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    [Fact]
    public void Signature_is_hmac_sha256_over_timestamp_dot_body()
    {
        // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'whsec_test_secret_1234'
        Assert.Equal("t=1700000000,v1=09b3dbd0d037bc391fb094acc8a79acc8199cdce9440582d74d96e9f4688d5e6", WebhookSignature.Sign(Secret, 1_700_000_000, Body));
    }

    [Fact]
    public void Verify_accepts_the_signature_within_the_tolerance()
    {
        var header = WebhookSignature.Sign(Secret, At.ToUnixTimeSeconds(), Body);
        Assert.True(WebhookSignature.Verify(Secret, header, Body, At.AddMinutes(4), TimeSpan.FromMinutes(5)));
        // Several v1 values (a secret being rotated): any one may match.
        Assert.True(WebhookSignature.Verify(Secret, header.Replace("t=", "v1=" + new string('0', 64) + ",t=", StringComparison.Ordinal), Body, At, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData("wrong secret")]
    [InlineData("tampered body")]
    [InlineData("old")]
    [InlineData("future")]
    [InlineData("other timestamp")]
    [InlineData("garbage")]
    [InlineData("empty")]
    public void Verify_refuses_what_does_not_match(string what)
    {
        var header = WebhookSignature.Sign(Secret, At.ToUnixTimeSeconds(), Body);
        var tolerance = TimeSpan.FromMinutes(5);
        var result = what switch
        {
            "wrong secret" => WebhookSignature.Verify("whsec_other", header, Body, At, tolerance),
            "tampered body" => WebhookSignature.Verify(Secret, header, Encoding.UTF8.GetBytes("{\"a\":2}"), At, tolerance),
            "old" => WebhookSignature.Verify(Secret, header, Body, At.AddMinutes(6), tolerance),
            "future" => WebhookSignature.Verify(Secret, header, Body, At.AddMinutes(-6), tolerance),
            "other timestamp" => WebhookSignature.Verify(Secret, header.Replace("t=1700000000", "t=1700000001", StringComparison.Ordinal), Body, At, tolerance),
            "garbage" => WebhookSignature.Verify(Secret, "t=abc,v1=zz", Body, At, tolerance),
            _ => WebhookSignature.Verify(Secret, "", Body, At, tolerance),
        };
        Assert.False(result);
    }
}

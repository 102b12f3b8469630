using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mailroom.Core.Events;

/// <summary>
/// Webhook signatures: HMAC-SHA256, keyed with the subscription's secret, over <c>timestamp + "." + body</c>
/// (the timestamp in Unix seconds, the body exactly as sent). The header is <c>t=TIMESTAMP,v1=HEX</c>.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header that carries the signature.</summary>
    public const string Header = "Mailroom-Signature";

    /// <summary>The header value for <paramref name="body"/> sent at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body) =>
        string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1={Convert.ToHexStringLower(Mac(secret, timestamp, body))}");

    /// <summary>
    /// Whether <paramref name="header"/> is a valid signature of <paramref name="body"/> under <paramref name="secret"/>,
    /// made no more than <paramref name="tolerance"/> from <paramref name="now"/> (a replayed old request fails).
    /// </summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(header))
            return false;
        long? timestamp = null;
        var candidates = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal)
                && long.TryParse(part.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var t))
                timestamp = t;
            else if (part.StartsWith("v1=", StringComparison.Ordinal) && part.Length == 3 + 64)
            {
                try
                {
                    candidates.Add(Convert.FromHexString(part.AsSpan(3)));
                }
                catch (FormatException)
                {
                    // Not hex: not a signature of ours.
                }
            }
        }

        if (timestamp is not { } ts || candidates.Count == 0)
            return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(ts)).Duration() > tolerance)
            return false;
        var expected = Mac(secret, ts, body);
        return candidates.Any(c => CryptographicOperations.FixedTimeEquals(c, expected));
    }

    private static byte[] Mac(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }
}

using System.Net;
using System.Net.Sockets;

namespace Mailroom.Server.View;

/// <summary>
/// Which addresses the image proxy may connect to: only public unicast ones. Checked on the address actually dialled
/// (after DNS, for every redirect hop), so a name that resolves to 127.0.0.1, an IPv4-mapped IPv6 address or an odd
/// IPv4 notation (2130706433, 0x7f.1, 0177.0.0.1) is refused like the plain address.
/// </summary>
internal static class EgressGuard
{
    /// <summary>Why <paramref name="address"/> is refused, or null when it is a public unicast address.</summary>
    public static string? RefusalReason(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
            return RefusalReason(address.MapToIPv4());
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => V4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => V6(address),
            _ => "not an IP address",
        };
    }

    private static string? V4(byte[] b)
    {
        var a = b[0];
        return a switch
        {
            0 => "'this network' (0.0.0.0/8)",
            10 => "private (10.0.0.0/8)",
            127 => "loopback",
            100 when (b[1] & 0xC0) == 64 => "carrier-grade NAT (100.64.0.0/10, cloud metadata at 100.100.100.200)",
            169 when b[1] == 254 => b[2] == 169 && b[3] == 254 ? "cloud metadata (169.254.169.254)" : "link-local (169.254.0.0/16)",
            172 when (b[1] & 0xF0) == 16 => "private (172.16.0.0/12)",
            192 when b[1] == 0 && b[2] == 0 => "IETF protocol assignments (192.0.0.0/24, cloud metadata at 192.0.0.192)",
            192 when b[1] == 0 && b[2] == 2 => "documentation (192.0.2.0/24)",
            192 when b[1] == 88 && b[2] == 99 => "6to4 relay anycast (192.88.99.0/24)",
            192 when b[1] == 168 => "private (192.168.0.0/16)",
            198 when (b[1] & 0xFE) == 18 => "benchmarking (198.18.0.0/15)",
            198 when b[1] == 51 && b[2] == 100 => "documentation (198.51.100.0/24)",
            203 when b[1] == 0 && b[2] == 113 => "documentation (203.0.113.0/24)",
            168 when b[1] == 63 && b[2] == 129 && b[3] == 16 => "cloud metadata (Azure 168.63.129.16)",
            >= 224 and <= 239 => "multicast",
            >= 240 => b.All(x => x == 255) ? "broadcast" : "reserved (240.0.0.0/4)",
            _ => null,
        };
    }

    private static string? V6(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any))
            return "unspecified (::)";
        if (address.Equals(IPAddress.IPv6Loopback))
            return "loopback (::1)";
        var b = address.GetAddressBytes();
        if (b[0] == 0xFF)
            return "multicast (ff00::/8)";
        if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80)
            return "link-local (fe80::/10)";
        if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0)
            return "site-local (fec0::/10)";
        if ((b[0] & 0xFE) == 0xFC)
            return "unique local (fc00::/7, cloud metadata at fd00:ec2::254)";
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)
            return "documentation (2001:db8::/32)";
        if (b[0] == 0x01 && b[1] == 0 && b.AsSpan(2, 6).IndexOfAnyExcept((byte)0) < 0)
            return "discard-only (100::/64)";
        // Addresses that carry an IPv4 address: judge the IPv4 address they lead to.
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
            return Embedded(b.AsSpan(12, 4), "IPv4-compatible");
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)
            return Embedded(b.AsSpan(12, 4), "NAT64") ?? (b[4] == 0 && b[5] == 1 ? "local-use NAT64 (64:ff9b:1::/48)" : null);
        if (b[0] == 0x20 && b[1] == 0x02)
            return Embedded(b.AsSpan(2, 4), "6to4");
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0)
            return "Teredo (2001::/32)";
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && (b[3] & 0xF0) == 0x10)
            return "ORCHID (2001:10::/28)";
        return null;
    }

    private static string? Embedded(ReadOnlySpan<byte> v4, string kind) =>
        V4(v4.ToArray()) is { } reason ? $"{kind} address of a refused IPv4 address: {reason}" : null;
}

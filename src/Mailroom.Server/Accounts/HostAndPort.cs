using System.Globalization;

namespace Mailroom.Server.Accounts;

/// <summary>Parses HOST, HOST:PORT, [IPv6] and [IPv6]:PORT.</summary>
internal static class HostAndPort
{
    public static bool TryParse(string value, out string host, out int? port, out string? error)
    {
        host = "";
        port = null;
        error = null;
        var text = value.Trim();
        string portText = "";
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) { error = $"'{value}': missing ']' after the IPv6 address."; return false; }
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0 && !rest.StartsWith(':')) { error = $"'{value}': expected ':PORT' after ']'."; return false; }
            portText = rest.TrimStart(':');
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':', StringComparison.Ordinal) == colon)
            {
                host = text[..colon];
                portText = text[(colon + 1)..];
            }
            else
            {
                host = text;
            }
        }

        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '@'))
        {
            error = $"'{value}' is not a valid host name.";
            return false;
        }

        if (portText.Length > 0)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
            {
                error = $"'{portText}' is not a valid port (1-65535).";
                return false;
            }
            port = p;
        }
        return true;
    }
}

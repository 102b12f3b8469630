namespace Mailroom.Connectors.Discovery;

/// <summary>The placeholders of Thunderbird's autoconfig format, also used by the provider table.</summary>
internal static class UserNamePattern
{
    public const string Address = "%EMAILADDRESS%";

    public static string Expand(string pattern, MailAddress address) => pattern
        .Replace("%EMAILADDRESS%", address.Address, StringComparison.OrdinalIgnoreCase)
        .Replace("%EMAILLOCALPART%", address.LocalPart, StringComparison.OrdinalIgnoreCase)
        .Replace("%EMAILDOMAIN%", address.Domain, StringComparison.OrdinalIgnoreCase);
}

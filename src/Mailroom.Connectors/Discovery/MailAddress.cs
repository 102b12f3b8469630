using System.Globalization;

namespace Mailroom.Connectors.Discovery;

/// <summary>An address split for discovery: the domain in its ASCII (punycode) form, lower case.</summary>
public sealed record MailAddress(string Address, string LocalPart, string Domain)
{
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    public static bool TryParse(string text, out MailAddress? address, out string? error)
    {
        address = null;
        error = null;
        var value = text.Trim();
        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1)
        {
            error = $"'{text}' is not an email address (expected LOCAL@DOMAIN).";
            return false;
        }
        var local = value[..at];
        if (local.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || local.Contains('@', StringComparison.Ordinal) && !local.StartsWith('"'))
        {
            error = $"'{text}' is not an email address: the part before @ has spaces, controls or a second @.";
            return false;
        }
        string domain;
        try
        {
            domain = Idn.GetAscii(value[(at + 1)..].TrimEnd('.')).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            error = $"'{value[(at + 1)..]}' is not a valid domain name.";
            return false;
        }
        if (!domain.Contains('.', StringComparison.Ordinal) || domain.Split('.').Any(l => l.Length is 0 or > 63) || domain.Length > 253)
        {
            error = $"'{domain}' is not a valid domain name (it needs at least two labels).";
            return false;
        }
        address = new MailAddress($"{local}@{domain}", local, domain);
        return true;
    }
}

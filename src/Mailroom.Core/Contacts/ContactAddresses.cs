using System.Globalization;

namespace Mailroom.Core.Contacts;

/// <summary>
/// How contact addresses are compared with the addresses of messages. A contact's address is normalized exactly as a
/// message's address is when it is stored (<see cref="Messages.MessageAddress.Normalized"/>): a punycode domain
/// becomes Unicode, then everything is lower-cased. Provider alias rules are a second, coarser key used only when the
/// organization turns them on.
/// </summary>
public static class ContactAddresses
{
    private static readonly IdnMapping Idn = new();
    private static readonly System.Buffers.SearchValues<char> NotInAddress = System.Buffers.SearchValues.Create(" \t\r\n<>,;\"");

    /// <summary>
    /// The matching form of an address typed by a person or an application, or null when it is not an address
    /// (no <c>@</c>, an empty local part or domain, white space or angle brackets inside).
    /// </summary>
    public static string? Normalize(string? address)
    {
        var value = address?.Trim();
        if (string.IsNullOrEmpty(value))
            return null;
        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1 || value.AsSpan().IndexOfAny(NotInAddress) >= 0)
            return null;

        var domain = value[(at + 1)..];
        if (domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal))
            return null;
        if (domain.Contains("xn--", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                domain = Idn.GetUnicode(domain);
            }
            catch (ArgumentException)
            {
                return null; // invalid punycode: a contact address must be one a message can carry
            }
        }

        return string.Concat(value.AsSpan(0, at + 1), domain).ToLowerInvariant();
    }

    /// <summary>
    /// The alias key of a normalized address: the local part cut at its first <c>+</c> (sub-addressing, RFC 5233), and
    /// for Gmail (gmail.com, googlemail.com) without dots and under gmail.com. Two addresses with the same key reach
    /// the same mailbox at providers that follow these rules; at others they may not, which is why it is an option.
    /// </summary>
    public static string AliasKey(string normalized)
    {
        var at = normalized.LastIndexOf('@');
        if (at <= 0)
            return normalized;
        var local = normalized[..at];
        var domain = normalized[(at + 1)..];
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        if (plus > 0)
            local = local[..plus];
        if (domain is "gmail.com" or "googlemail.com")
        {
            local = local.Replace(".", "", StringComparison.Ordinal);
            domain = "gmail.com";
        }

        return local.Length == 0 ? normalized : local + "@" + domain;
    }
}

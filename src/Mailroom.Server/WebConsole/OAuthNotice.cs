using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Mailroom.Server.WebConsole;

/// <summary>
/// Why an OAuth connection started in the console failed, carried back to the Mailboxes page in its URL. It is
/// encrypted and signed with the data protection keys, so a crafted URL cannot make the console show a message of
/// someone else's choosing; it expires after an hour.
/// </summary>
internal static class OAuthNotice
{
    private const string Purpose = "Mailroom.Console.OAuthError";

    public static string Protect(HttpContext http, string error) =>
        Protector(http).Protect(error, TimeSpan.FromHours(1));

    public static string? Unprotect(HttpContext http, string? text)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        try
        {
            return Protector(http).Unprotect(text);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static ITimeLimitedDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).ToTimeLimitedDataProtector();
}

using System.Globalization;

namespace Mailroom.Core.Identity;

/// <summary>
/// Gmail's message and thread ids in both spellings: the API's hexadecimal id is IMAP's X-GM-MSGID (X-GM-THRID for
/// threads) in base 16. Stored identities and thread ids keep IMAP's decimal form, so both protocols find one message.
/// </summary>
public static class GmailIds
{
    /// <summary>The API id ("16189c2a…") as a number, or null when it is not hexadecimal.</summary>
    public static ulong? FromApi(string? id) =>
        id is { Length: > 0 and <= 16 } && ulong.TryParse(id, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The API's spelling of X-GM-MSGID: lower-case hexadecimal without leading zeros.</summary>
    public static string ToApi(ulong id) => id.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>The provider id a fetched copy carries ("gm:" + decimal X-GM-MSGID), as Gmail over IMAP writes it.</summary>
    public static string ProviderId(ulong id) => "gm:" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The identity key of the message with this API id (see <see cref="MessageIdentity.Compute"/>).</summary>
    public static string IdentityKey(ulong id) => "p:" + ProviderId(id);

    /// <summary>The thread id as stored (decimal X-GM-THRID).</summary>
    public static string? ThreadId(string? apiThreadId) => FromApi(apiThreadId)?.ToString(CultureInfo.InvariantCulture);

    /// <summary>The API's thread id from a stored (decimal) one, or null.</summary>
    public static string? ApiThreadId(string? storedThreadId) =>
        ulong.TryParse(storedThreadId, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? ToApi(value) : null;
}

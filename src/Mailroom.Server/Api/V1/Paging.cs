using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Mailroom.Storage.Queries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Server.Api.V1;

/// <summary>
/// Cursor pagination. A cursor is opaque to clients (base64url of a keyset position tagged with the list it belongs
/// to); a page starts strictly after it, so rows added meanwhile never shift a page or repeat a row.
/// </summary>
internal static class Paging
{
    public const int DefaultLimit = 50;

    /// <summary>The page size asked for (default 50); a 400 problem when it is out of range.</summary>
    public static ProblemHttpResult? Limit(int? limit, out int size)
    {
        size = limit ?? DefaultLimit;
        return size is >= 1 and <= OrganizationQueries.MaxPageSize
            ? null
            : Problems.BadRequest($"limit must be between 1 and {OrganizationQueries.MaxPageSize}.");
    }

    public static string Encode(string list, string position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(list + "|" + position));

    /// <summary>The position inside a cursor of <paramref name="list"/>; false for anything else (a 400 for the caller).</summary>
    public static bool TryDecode(string? cursor, string list, out string? position)
    {
        position = null;
        if (string.IsNullOrEmpty(cursor))
            return true;
        if (cursor.Length > 2048)
            return false;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(cursor);
        }
        catch (FormatException)
        {
            return false;
        }
        var text = Encoding.UTF8.GetString(bytes);
        if (!text.StartsWith(list + "|", StringComparison.Ordinal))
            return false;
        position = text[(list.Length + 1)..];
        return true;
    }

    public static string Encode(string list, DateKeyset keyset) => Encode(list, keyset.Date is { } d
        ? string.Create(CultureInfo.InvariantCulture, $"{(d.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10}:{keyset.Id}")
        : string.Create(CultureInfo.InvariantCulture, $"-:{keyset.Id}"));

    public static bool TryDecode(string? cursor, string list, out DateKeyset? keyset)
    {
        keyset = null;
        if (!TryDecode(cursor, list, out string? position))
            return false;
        if (position is null)
            return true;
        var colon = position.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !long.TryParse(position.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return false;
        if (position[..colon] == "-")
        {
            keyset = new DateKeyset(null, id);
            return true;
        }
        if (!long.TryParse(position.AsSpan(0, colon), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var micros)
            || micros is < -62_135_596_800_000_000 or > 253_402_300_799_999_999)
            return false;
        keyset = new DateKeyset(DateTimeOffset.UnixEpoch.AddTicks(micros * 10), id);
        return true;
    }

    public static bool TryDecode(string? cursor, string list, out long? id)
    {
        id = null;
        if (!TryDecode(cursor, list, out string? position))
            return false;
        if (position is null)
            return true;
        if (!long.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return false;
        id = value;
        return true;
    }

    public static ProblemHttpResult BadCursor() => Problems.BadRequest("cursor is not a cursor of this list (pass nextCursor exactly as it was returned).");
}

/// <summary>One page of a list and the cursor of the next page (null on the last page).</summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

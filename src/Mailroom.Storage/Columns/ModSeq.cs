namespace Mailroom.Storage.Columns;

/// <summary>
/// RFC 7162 mod-sequences are at most 2^63 - 1, so they fit a signed 64-bit column. The conversion reinterprets the
/// bits rather than checking, so that even a server that breaks the rule gets back exactly the value it sent.
/// Mod-sequences are never compared in SQL.
/// </summary>
internal static class ModSeq
{
    public static long? ToDb(ulong? value) => value is { } v ? unchecked((long)v) : null;

    public static ulong? FromDb(long? value) => value is { } v ? unchecked((ulong)v) : null;
}

using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Mailroom.Storage.Model;

/// <summary>
/// SQLite has no time type, and EF Core cannot order or compare DateTimeOffset stored as text there. Times are
/// stored as microseconds since the Unix epoch (UTC), which sort as integers and keep the same precision as
/// PostgreSQL's timestamptz. The original offset is not kept; the raw message still has it.
/// </summary>
internal sealed class UnixMicrosecondsConverter() : ValueConverter<DateTimeOffset, long>(
    value => ToMicroseconds(value),
    value => FromMicroseconds(value))
{
    public static long ToMicroseconds(DateTimeOffset value) =>
        (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public static DateTimeOffset FromMicroseconds(long value) =>
        new(DateTimeOffset.UnixEpoch.UtcTicks + (value * TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
}

using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Mailroom.Storage.Model;

/// <summary>Npgsql writes only UTC DateTimeOffset values to timestamptz; any offset is converted first.</summary>
internal sealed class UtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
    value => value.ToUniversalTime(),
    value => value);

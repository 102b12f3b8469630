namespace Mailroom.Storage.Queries;

/// <summary>
/// A keyset position in a list ordered by a nullable date, newest first, then by id: rows with a date come first, those
/// without one after them.
/// </summary>
public readonly record struct DateKeyset(DateTimeOffset? Date, long Id);

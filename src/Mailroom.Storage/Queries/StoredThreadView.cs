namespace Mailroom.Storage.Queries;

/// <summary>A thread as listed: its subject (the earliest message's), size and dates.</summary>
public sealed record StoredThreadView(long Id, string? Subject, int MessageCount, DateTimeOffset? FirstDate, DateTimeOffset? LastDate);

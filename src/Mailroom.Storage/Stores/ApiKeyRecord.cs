namespace Mailroom.Storage.Stores;

/// <summary>An API key as listed: never the key itself, only the prefix it starts with.</summary>
public sealed record ApiKeyRecord(
    long Id, long OrganizationId, string OrganizationName, string Name, string Prefix, DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

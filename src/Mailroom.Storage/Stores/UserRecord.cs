namespace Mailroom.Storage.Stores;

/// <summary>A console user as listed: never the password hash.</summary>
public sealed record UserRecord(
    long Id, long OrganizationId, string OrganizationName, string Name, string Role, string SecurityStamp, int FailedSignIns,
    DateTimeOffset? LockedUntil, DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt);

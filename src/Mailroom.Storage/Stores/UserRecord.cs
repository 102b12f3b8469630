namespace Mailroom.Storage.Stores;

/// <summary>
/// A console user as listed: never the password hash, only whether there is one (a user provisioned by OpenID Connect
/// has none), and whether the user signs in through an OpenID provider.
/// </summary>
public sealed record UserRecord(
    long Id, long OrganizationId, string OrganizationName, string Name, string Role, string SecurityStamp, int FailedSignIns,
    DateTimeOffset? LockedUntil, DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt, bool HasPassword, bool SingleSignOn);

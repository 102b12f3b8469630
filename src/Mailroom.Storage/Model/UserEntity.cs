namespace Mailroom.Storage.Model;

/// <summary>
/// A console user of an organization. The password is stored only as ASP.NET Core Identity's hash (made and checked
/// by the server); the security stamp changes with the password, which ends every session signed in with the old one.
/// </summary>
internal sealed class UserEntity
{
    public long Id { get; set; }
    public long OrganizationId { get; set; }

    /// <summary>The sign-in name as given.</summary>
    public required string Name { get; set; }

    /// <summary>The name in lower case (invariant): unique, so that "Ann" and "ann" are one user.</summary>
    public required string NormalizedName { get; set; }

    /// <summary>Empty for a user who signs in only through OpenID Connect (no local password until an admin sets one).</summary>
    public required string PasswordHash { get; set; }

    /// <summary>The OpenID provider (its issuer) and the user's subject there, for a user who signs in through it.</summary>
    public string? ExternalIssuer { get; set; }

    public string? ExternalSubject { get; set; }

    /// <summary><c>admin</c> or <c>member</c>.</summary>
    public required string Role { get; set; }

    public required string SecurityStamp { get; set; }

    /// <summary>Failed sign-ins since the last success or lockout.</summary>
    public int FailedSignIns { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastSignInAt { get; set; }
}

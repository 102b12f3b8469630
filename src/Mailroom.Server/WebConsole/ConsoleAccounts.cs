using Mailroom.Core.Storage;
using Mailroom.Storage.Stores;
using Microsoft.AspNetCore.Identity;

namespace Mailroom.Server.WebConsole;

/// <summary>
/// Console users: adding them, their passwords (ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>, PBKDF2
/// with its versioned format) and signing in with lockout after repeated failures. The CLI (<c>mailroom user</c>) and
/// the sign-in page both come here.
/// </summary>
internal sealed class ConsoleAccounts(
    UserStore users, IAccountStore accounts, ConsoleOptions options, TimeProvider time, ILogger<ConsoleAccounts> logger)
{
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 1024;

    // The hasher's user parameter is not used by its algorithm; the user's name is passed as the user.
    private static readonly PasswordHasher<string> Hasher = new();

    // Checked when the name is no user, so that a wrong name takes as long as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword("", "not-a-password-of-anyone");

    public static string? CheckPassword(string? password) => password switch
    {
        null or "" => "the password is empty.",
        { Length: < MinPasswordLength } => $"the password must have at least {MinPasswordLength} characters.",
        { Length: > MaxPasswordLength } => $"the password must have at most {MaxPasswordLength} characters.",
        _ => null,
    };

    public static string? CheckName(string? name) => string.IsNullOrWhiteSpace(name) || name.Trim().Length > 200 || name.Any(char.IsControl)
        ? "the user name must be 1 to 200 characters, without control characters."
        : null;

    /// <summary>Adds a user to the organization (made if new). The error says why not.</summary>
    public async Task<(UserRecord? User, string? Error)> AddAsync(
        string organization, string name, string password, string role, CancellationToken cancellationToken)
    {
        if ((CheckName(name) ?? CheckPassword(password) ?? (ConsoleRoles.IsKnown(role) ? null : "the role must be admin or member.")) is { } invalid)
            return (null, invalid);
        var organizationId = await accounts.EnsureOrganizationAsync(organization, cancellationToken);
        return await AddAsync(organizationId, name, password, role, cancellationToken);
    }

    /// <summary>Adds a user to an existing organization (an admin's, in the console). The error says why not.</summary>
    public async Task<(UserRecord? User, string? Error)> AddAsync(
        long organizationId, string name, string password, string role, CancellationToken cancellationToken)
    {
        if ((CheckName(name) ?? CheckPassword(password) ?? (ConsoleRoles.IsKnown(role) ? null : "the role must be admin or member.")) is { } invalid)
            return (null, invalid);
        var user = await users.AddAsync(organizationId, name, Hasher.HashPassword(name, password), role, cancellationToken);
        return user is null ? (null, $"there is already a user '{name.Trim()}'.") : (user, null);
    }

    /// <summary>A new password: every session of the user ends, and a lockout too.</summary>
    public async Task<string?> SetPasswordAsync(UserRecord user, string password, CancellationToken cancellationToken)
    {
        if (CheckPassword(password) is { } invalid)
            return invalid;
        return await users.SetPasswordAsync(user.Id, Hasher.HashPassword(user.Name, password), cancellationToken) ? null : $"no user '{user.Name}'.";
    }

    /// <summary>Checks a name and password. The same answer for a wrong name and a wrong password.</summary>
    public async Task<SignInOutcome> SignInAsync(string name, string password, CancellationToken cancellationToken)
    {
        if (CheckName(name) is not null || password.Length is 0 or > MaxPasswordLength)
            return SignInOutcome.Refused();
        if (await users.FindForSignInAsync(name, cancellationToken) is not { } found)
        {
            Hasher.VerifyHashedPassword("", DummyHash, password);
            Log.SignInUnknown(logger);
            return SignInOutcome.Refused();
        }
        var (user, hash) = found;
        if (hash.Length == 0)
        {
            // Provisioned by OpenID Connect and given no password: it signs in at its provider only. A hash is still
            // checked, so this answer takes as long as any other refusal; it counts no failure (nothing was guessed).
            Hasher.VerifyHashedPassword("", DummyHash, password);
            Log.SignInRefused(logger, user.Name, "no local password");
            return SignInOutcome.Refused();
        }
        if (user.LockedUntil is { } locked && locked > time.GetUtcNow())
        {
            Log.SignInRefused(logger, user.Name, "locked out");
            return SignInOutcome.Locked(locked);
        }
        var verified = Hasher.VerifyHashedPassword(user.Name, hash, password);
        if (verified == PasswordVerificationResult.Failed)
        {
            var until = await users.RecordFailureAsync(user.Id, options.MaxFailedSignIns, options.LockoutDuration, cancellationToken);
            if (until is { } lockedNow)
            {
                Log.LockedOut(logger, user.Name, lockedNow);
                return SignInOutcome.Locked(lockedNow);
            }
            Log.SignInRefused(logger, user.Name, "wrong password");
            return SignInOutcome.Refused();
        }
        var rehashed = verified == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(user.Name, password) : null;
        await users.RecordSuccessAsync(user.Id, rehashed, cancellationToken);
        Log.SignedIn(logger, user.Name);
        return SignInOutcome.SignedIn(user);
    }
}

using Mailroom.Storage.Stores;

namespace Mailroom.Server.WebConsole;

/// <summary>What a sign-in came to: the user, or refused (a wrong name or password look the same), or locked out.</summary>
internal sealed record SignInOutcome(UserRecord? User, DateTimeOffset? LockedUntil)
{
    public static SignInOutcome SignedIn(UserRecord user) => new(user, null);

    public static SignInOutcome Refused() => new(null, null);

    public static SignInOutcome Locked(DateTimeOffset until) => new(null, until);
}

using Mailroom.Storage.Stores;

namespace Mailroom.Server.WebConsole.Users;

/// <summary>How a user's way of signing in reads on the admin pages.</summary>
internal static class UserView
{
    public static string SignsInWith(UserRecord user) => (user.HasPassword, user.SingleSignOn) switch
    {
        (true, true) => "password or single sign-on",
        (false, true) => "single sign-on",
        (true, false) => "password",
        _ => "nothing yet (set a password)",
    };
}

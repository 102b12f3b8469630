using Mailroom.Core.Connectors;

namespace Mailroom.Server.Sync;

/// <summary>The states stored on a mailbox, as the CLI, /health and the supervisor read them.</summary>
internal static class MailboxStates
{
    public const string New = "new";
    public const string Ok = "ok";
    public const string Error = "error";

    /// <summary>The server refused the password; a person must fix it.</summary>
    public const string AuthFailed = "auth_failed";

    /// <summary>The OAuth grant was revoked or expired; a person must authorize the mailbox again.</summary>
    public const string NeedsReauth = Mailroom.Core.Accounts.AccountStates.NeedsReauth;

    public static string For(ConnectorErrorKind kind) => kind switch
    {
        ConnectorErrorKind.AuthenticationFailed => AuthFailed,
        ConnectorErrorKind.ReauthorizationRequired => NeedsReauth,
        _ => Error,
    };

    /// <summary>States in which no worker should try again by itself.</summary>
    public static bool NeedsPerson(string state) => state is AuthFailed or NeedsReauth;
}

namespace Mailroom.Server.WebConsole;

/// <summary>A console user's role in their organization.</summary>
internal static class ConsoleRoles
{
    /// <summary>Manages users, API keys and webhooks, besides everything a member does.</summary>
    public const string Admin = "admin";

    /// <summary>Connects and reads mailboxes, contacts and conversations, and sends mail.</summary>
    public const string Member = "member";

    public static bool IsKnown(string role) => role is Admin or Member;
}

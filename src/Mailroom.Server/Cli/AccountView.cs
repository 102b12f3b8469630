using Mailroom.Core.Storage;

namespace Mailroom.Server.Cli;

/// <summary>An account as printed by <c>--json</c>. Never contains the secret.</summary>
internal sealed record AccountView(
    long Id, string Name, string Protocol, string Host, int Port, string Security, string User,
    string State, DateTimeOffset? LastSyncedAt, string? LastError, string? OauthProvider, string Scope)
{
    /// <summary>The SMTP server as HOST:PORT security, or null when the account cannot send.</summary>
    public string? Smtp { get; init; }

    public static AccountView From(MailboxRecord m) => new(
        m.Id, m.Name, m.Protocol, m.Settings.Host, m.Settings.Port, m.Settings.Security.ToString().ToLowerInvariant(),
        m.Settings.UserName, m.State, m.LastSyncedAt, m.LastError, m.Settings.OAuthProvider, m.Settings.Scope.ToString().ToLowerInvariant())
    {
        Smtp = m.Smtp is { } smtp ? $"{smtp.Host}:{smtp.Port} {smtp.Security.ToString().ToLowerInvariant()}" : null,
    };
}

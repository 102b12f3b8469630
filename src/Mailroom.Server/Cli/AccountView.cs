using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;

namespace Mailroom.Server.Cli;

/// <summary>An account as printed by <c>--json</c> (enums as their words: <c>imap</c>, <c>starttls</c>, <c>auth_failed</c>). Never contains the secret.</summary>
internal sealed record AccountView(
    long Id, string Name, MailboxProtocol Protocol, string Host, int Port, TransportSecurity Security, string User, string? Address,
    MailboxState State, DateTimeOffset? LastSyncedAt, string? LastError, string? OauthProvider, MailboxScope Scope)
{
    /// <summary>The SMTP server as HOST:PORT security, or null when the account cannot send.</summary>
    public string? Smtp { get; init; }

    /// <summary>For EWS: the endpoint and how the login is proved (ntlm or basic).</summary>
    public string? Url { get; init; }

    public EwsAuthentication? Authentication { get; init; }

    public static AccountView From(MailboxRecord m) => new(
        m.Id, m.Name, m.Protocol, m.Settings.Host, m.Settings.Port, m.Settings.Security,
        m.Settings.UserName, m.Settings.Address, m.State, m.LastSyncedAt, m.LastError, m.Settings.OAuthProvider, m.Settings.Scope)
    {
        Smtp = m.Smtp is { } smtp ? $"{smtp.Host}:{smtp.Port} {EnumWords.Of(smtp.Security)}" : null,
        Url = m.Settings.ServiceUrl?.AbsoluteUri,
        Authentication = m.Settings.EwsAuthentication,
    };
}

using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;
using Mailroom.Storage.Queries;

namespace Mailroom.Server.Api.V1;

/// <summary>
/// A new mailbox: from an address alone (the servers are discovered) or with explicit settings. OAuth2 mailboxes are
/// added through <c>/oauth/start</c> instead.
/// </summary>
/// <param name="Address">The mailbox's own email address (default: the login, when it is an address); alone, the servers are discovered from it.</param>
/// <param name="Protocol"><c>imap</c> (default) or <c>pop3</c>, with <paramref name="Host"/>.</param>
/// <param name="Host">The IMAP or POP3 server; when given, discovery is not used.</param>
/// <param name="Port">Default 993/143 (IMAP) or 995/110 (POP3), by security.</param>
/// <param name="Security"><c>tls</c> (default), <c>starttls</c> or <c>none</c> (needs <paramref name="AllowPlaintext"/>).</param>
/// <param name="UserName">The login (default: the address, or what discovery found).</param>
/// <param name="Password">The password; stored encrypted, never returned.</param>
/// <param name="Name">A name unique in the organization (default USER@HOST).</param>
/// <param name="Scope"><c>all</c> (default) or <c>contacts</c> (IMAP only: keep only mail with a known contact).</param>
/// <param name="Smtp">The submission server (default: what discovery found, if anything).</param>
/// <param name="Verify">Log in before saving (default true).</param>
/// <param name="Url">For protocol ews: the https endpoint; without it, Autodiscover finds it from the address.</param>
/// <param name="Authentication">For protocol ews: ntlm (default) or basic.</param>
internal sealed record CreateMailboxRequest(
    string? Address, string? Protocol, string? Host, int? Port, string? Security, string? UserName, string? Password,
    bool AllowPlaintext, string? Name, string? Scope, SmtpRequest? Smtp, bool? Verify,
    [property: System.Text.Json.Serialization.JsonPropertyName("oauth")] string? OAuth = null, string? Url = null, string? Authentication = null);

/// <summary>An SMTP submission server; it logs in with the mailbox's password.</summary>
internal sealed record SmtpRequest(string Host, int? Port, string? Security, string? UserName);

/// <summary>The mailbox's own address, for <c>PUT /v1/mailboxes/{id}/address</c>.</summary>
internal sealed record MailboxAddressRequest(string? Address);

/// <summary>A mailbox as the API shows it; its secret never is.</summary>
/// <param name="Address">The mailbox's own address, apart from its login; null until known (learned from Sent after the first sync).</param>
/// <param name="Url">For EWS: the endpoint; else null.</param>
/// <param name="Authentication">For EWS: ntlm or basic; else null.</param>
internal sealed record MailboxJson(
    long Id, string Name, MailboxProtocol Protocol, string Host, int Port, TransportSecurity Security, string UserName, string? Address,
    string? OAuthProvider, MailboxScope Scope, MailboxState State, bool Paused, string? LastError, DateTimeOffset CreatedAt,
    DateTimeOffset? LastSyncedAt, SmtpJson? Smtp, string? Url = null, EwsAuthentication? Authentication = null)
{
    public static MailboxJson From(MailboxRecord m) => new(
        m.Id, m.Name, m.Protocol, m.Settings.Host, m.Settings.Port, m.Settings.Security, m.Settings.UserName, m.Settings.Address,
        m.Settings.OAuthProvider, m.Settings.Scope, m.State, m.Paused, m.LastError, m.CreatedAt, m.LastSyncedAt,
        m.Smtp is { } s ? new SmtpJson(s.Host, s.Port, s.Security, s.UserName) : null, m.Settings.ServiceUrl?.AbsoluteUri, m.Settings.EwsAuthentication);
}

internal sealed record SmtpJson(string Host, int Port, TransportSecurity Security, string? UserName);

/// <summary>The mailbox created, and where its settings came from (<c>explicit</c> or the discovery source that answered).</summary>
internal sealed record CreatedMailboxJson(MailboxJson Mailbox, string SettingsFrom);

/// <summary>A mailbox's state and each folder's, as <c>mailroom status</c> shows them.</summary>
internal sealed record MailboxStatusJson(MailboxJson Mailbox, long? LagSeconds, long Messages, long RawBytes, IReadOnlyList<FolderJson> Folders);

/// <summary>A folder with what is stored of it and how its last sync went.</summary>
internal sealed record FolderJson(
    long Id, string Path, string Role, long Messages, int? ServerCount, DateTimeOffset? LastSyncedAt, string? LastError,
    DateTimeOffset? LastErrorAt, uint? UidValidity, uint? UidNext, ulong? HighestModSeq)
{
    public static FolderJson From(FolderSyncState f) => new(
        f.FolderId, f.Path, EnumWords.Of(f.Role), f.Stored, f.ServerCount, f.LastSyncedAt, f.LastError, f.LastErrorAt,
        f.UidValidity, f.UidNext, f.HighestModSeq);
}

/// <summary>What a sync, pause or resume request did.</summary>
internal sealed record MailboxActionJson(long Id, string Action, bool Paused);

using Mailroom.Core.Accounts;

namespace Mailroom.Server.Accounts;

/// <summary>
/// A mailbox to add, as the CLI, the API and the OAuth callback ask for it. Field names are the API's; a failure names
/// the field it is about (<see cref="OnboardingResult.Field"/>), so each caller can say which of its options was wrong.
/// </summary>
internal sealed record OnboardingRequest
{
    public required long OrganizationId { get; init; }

    /// <summary>The mailbox's own address; without <see cref="Host"/>, the servers are discovered from it.</summary>
    public string? Address { get; init; }

    /// <summary>With <see cref="Host"/>: how to reach it (IMAP or POP3).</summary>
    public MailboxProtocol Protocol { get; init; } = MailboxProtocol.Imap;

    /// <summary>HOST, or HOST:PORT (or [IPv6]:PORT) when <see cref="Port"/> is not given.</summary>
    public string? Host { get; init; }

    public int? Port { get; init; }

    public TransportSecurity Security { get; init; } = TransportSecurity.Tls;

    /// <summary>The login; default the address (with <see cref="Host"/>) or what discovery found.</summary>
    public string? UserName { get; init; }

    /// <summary>The operator's explicit permission for <see cref="TransportSecurity.None"/>.</summary>
    public bool AllowPlaintext { get; init; }

    /// <summary>A PEM file of CAs trusted for this server; it must exist.</summary>
    public string? TrustedCaFile { get; init; }

    /// <summary>Unique in the organization; default USER@HOST.</summary>
    public string? Name { get; init; }

    public MailboxScope Scope { get; init; }

    /// <summary>The submission server; default what discovery found, if anything.</summary>
    public OnboardingSmtp? Smtp { get; init; }

    /// <summary>For EWS: the endpoint (https://HOST/EWS/Exchange.asmx); without it, Autodiscover finds it from the address.</summary>
    public string? Url { get; init; }

    /// <summary>For EWS: NTLM (default) or Basic (over TLS only).</summary>
    public EwsAuthentication EwsAuthentication { get; init; } = EwsAuthentication.Ntlm;

    /// <summary>Log in (and to SMTP) before saving.</summary>
    public bool Verify { get; init; } = true;
}

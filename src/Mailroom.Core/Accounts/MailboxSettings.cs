namespace Mailroom.Core.Accounts;

/// <summary>How to reach and log in to one mailbox, and what to keep of it. The secret itself is kept apart, encrypted.</summary>
public sealed record MailboxSettings
{
    public required string Host { get; init; }
    public required int Port { get; init; }
    public required string UserName { get; init; }

    /// <summary>
    /// The mailbox's own email address, apart from its login (which may be no address, like <c>bench1</c>): the
    /// default <c>From</c> of mail sent from it, and left out of its contact candidates and subject-rule participants.
    /// Null until known: set when added (the login, when it is an address), else learned from the Sent folder after the first sync.
    /// </summary>
    public string? Address { get; init; }
    public TransportSecurity Security { get; init; } = TransportSecurity.Tls;

    /// <summary>Set only by an explicit operator choice (<c>--allow-plaintext</c>).</summary>
    public bool AllowPlaintext { get; init; }

    /// <summary>A PEM file with extra CA certificates trusted for this server (self-hosted servers).</summary>
    public string? TrustedCaFile { get; init; }

    /// <summary>
    /// The configured OAuth provider (<c>OAuth:Providers:NAME</c>) whose tokens this mailbox logs in with;
    /// null for a password account.
    /// </summary>
    public string? OAuthProvider { get; init; }

    /// <summary>
    /// For EWS: the endpoint (…/EWS/Exchange.asmx), always https; <see cref="Host"/> and <see cref="Port"/> are its
    /// host and port. Null for every other protocol.
    /// </summary>
    public Uri? ServiceUrl { get; init; }

    /// <summary>For EWS: Basic (over TLS only) or NTLM. Null for every other protocol.</summary>
    public EwsAuthentication? EwsAuthentication { get; init; }

    /// <summary>How this mailbox logs in.</summary>
    public CredentialKind CredentialKind => OAuthProvider is null ? CredentialKind.Password : CredentialKind.OAuth2;
    /// <summary>What the mailbox keeps: every message, or only mail with known contacts.</summary>
    public MailboxScope Scope { get; init; }

    /// <summary>Default port for the protocol and security.</summary>
    public static int DefaultImapPort(TransportSecurity security) => security == TransportSecurity.Tls ? 993 : 143;

    /// <summary>Default POP3 port: 995 for implicit TLS (POP3S), 110 otherwise (RFC 8314, RFC 1939).</summary>
    public static int DefaultPop3Port(TransportSecurity security) => security == TransportSecurity.Tls ? 995 : 110;
}

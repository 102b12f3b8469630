using Mailroom.Core.Accounts;

namespace Mailroom.Storage.Model;

internal sealed class MailboxEntity
{
    public long Id { get; set; }
    public long OrganizationId { get; set; }
    public required string Name { get; set; }
    public MailboxProtocol Protocol { get; set; }
    public required string Host { get; set; }
    public int Port { get; set; }
    public TransportSecurity Security { get; set; }
    public required string UserName { get; set; }

    /// <summary>The mailbox's own address (apart from its login); null until known.</summary>
    public string? Address { get; set; }
    public bool AllowPlaintext { get; set; }
    public string? TrustedCaFile { get; set; }

    /// <summary>For EWS: the endpoint URL and how to log in to it (Basic or NTLM).</summary>
    public string? ServiceUrl { get; set; }
    public EwsAuthentication? EwsAuthentication { get; set; }

    /// <summary>For EWS: the SyncFolderHierarchy state of the folder tree the stored folders were made from.</summary>
    public string? SyncToken { get; set; }

    /// <summary>Ciphertext from <see cref="ISecretProtector"/>; never the secret itself.</summary>
    public required string ProtectedSecret { get; set; }

    /// <summary>Null for a password mailbox; else the OAuth provider's configured name.</summary>
    public string? OAuthProvider { get; set; }

    /// <summary>Ciphertexts, like <see cref="ProtectedSecret"/> (which is empty for an OAuth mailbox).</summary>
    public string? ProtectedAccessToken { get; set; }

    public string? ProtectedRefreshToken { get; set; }

    public DateTimeOffset? TokenExpiresAt { get; set; }
    /// <summary><see cref="MailboxScope"/>: "all" or "contacts".</summary>
    public MailboxScope Scope { get; set; }

    /// <summary>The submission server; null when the mailbox cannot send. Login and secret are the mailbox's unless <see cref="SmtpUserName"/> is set.</summary>
    public string? SmtpHost { get; set; }
    public int? SmtpPort { get; set; }
    public TransportSecurity? SmtpSecurity { get; set; }
    public string? SmtpUserName { get; set; }

    /// <summary>Whether the server files sent mail itself; null until learned.</summary>
    public SentFiling? SentFiling { get; set; }

    /// <summary>Paused through the API: no worker runs for it until it is resumed (kept apart from <see cref="State"/>, which workers write).</summary>
    public bool Paused { get; set; }

    public MailboxState State { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastSyncedAt { get; set; }
}

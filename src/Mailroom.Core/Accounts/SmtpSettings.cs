namespace Mailroom.Core.Accounts;

/// <summary>
/// The submission server of a mailbox. Login name, CA file and plaintext permission default to the mailbox's own
/// (<see cref="MailboxSettings"/>), and so does the secret: one password (or one OAuth2 grant) for reading and sending.
/// </summary>
public sealed record SmtpSettings
{
    public required string Host { get; init; }
    public required int Port { get; init; }
    public TransportSecurity Security { get; init; } = TransportSecurity.Tls;

    /// <summary>A different login for submission, or null for the mailbox's.</summary>
    public string? UserName { get; init; }

    /// <summary>Default submission port: 465 for implicit TLS (RFC 8314), 587 otherwise (RFC 6409).</summary>
    public static int DefaultPort(TransportSecurity security) => security == TransportSecurity.Tls ? 465 : 587;
}

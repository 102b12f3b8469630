using Mailroom.Core.Accounts;

namespace Mailroom.Connectors;

/// <summary>
/// Where and how a connector reaches a mail server: <paramref name="Protocol"/> names it in errors ("IMAP"),
/// <paramref name="AllowPlaintext"/> is the account's explicit consent to <see cref="TransportSecurity.None"/>, and
/// <paramref name="TrustedCaFile"/> an operator-given CA for self-hosted servers.
/// </summary>
internal sealed record MailServiceEndpoint(
    string Protocol, string Host, int Port, TransportSecurity Security, bool AllowPlaintext, string? TrustedCaFile);

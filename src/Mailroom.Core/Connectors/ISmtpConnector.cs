using Mailroom.Core.Accounts;

namespace Mailroom.Core.Connectors;

/// <summary>Opens authenticated submission sessions (SMTP). Failures to connect or log in are <see cref="ConnectorException"/>.</summary>
public interface ISmtpConnector
{
    Task<ISmtpSession> ConnectAsync(SmtpSettings settings, string? trustedCaFile, bool allowPlaintext, SmtpCredential credential, CancellationToken cancellationToken);
}

using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
namespace Mailroom.Connectors.Ews;

/// <summary>Where and as whom to reach one mailbox's EWS endpoint.</summary>
/// <param name="Url">The EWS endpoint (…/EWS/Exchange.asmx); https, as Basic and NTLM both carry the password's worth.</param>
/// <param name="TrustedCaFile">An operator-given CA for a self-hosted Exchange; validation stays on.</param>
public sealed record EwsAccount(Uri Url, string User, string Password, EwsAuthentication Authentication, string? TrustedCaFile)
{
    public override string ToString() => $"{User} at {Url} ({Authentication})"; // never the password

    /// <summary>A stored EWS mailbox's account, with its decrypted password.</summary>
    public static EwsAccount For(MailboxSettings settings, string password) => new(
        settings.ServiceUrl ?? throw new ConnectorException(ConnectorErrorKind.Misconfigured, "The mailbox has no EWS URL."),
        settings.UserName, password, settings.EwsAuthentication ?? EwsAuthentication.Ntlm, settings.TrustedCaFile);
}

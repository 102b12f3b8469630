using Mailroom.Core.Accounts;
using MailKit;
using MailKit.Security;

namespace Mailroom.Connectors.Auth;

/// <summary>
/// Logs a connected MailKit client in with a <see cref="MailboxCredential"/>, for IMAP, POP3 and SMTP alike:
/// a password through MailKit's own choice of mechanism; an OAuth2 access token through OAUTHBEARER (RFC 7628)
/// when the server announces it, else XOAUTH2 (the older Google/Microsoft mechanism most servers offer).
/// </summary>
public static class SaslLogin
{
    public const string OAuthBearer = "OAUTHBEARER";
    public const string XOAuth2 = "XOAUTH2";

    public static async Task AuthenticateAsync(
        IMailService client, string userName, MailboxCredential credential, CancellationToken cancellationToken)
    {
        if (credential.Kind == CredentialKind.Password)
        {
            await client.AuthenticateAsync(userName, credential.Secret, cancellationToken);
            return;
        }

        var mechanism = ChooseOAuthMechanism(client.AuthenticationMechanisms)
            ?? throw new NotSupportedException(
                $"the server offers neither {OAuthBearer} nor {XOAuth2}, so an OAuth2 account cannot log in.");
        SaslMechanism sasl = mechanism == OAuthBearer
            ? new SaslMechanismOAuthBearer(userName, credential.Secret)
            : new SaslMechanismOAuth2(userName, credential.Secret);
        await client.AuthenticateAsync(sasl, cancellationToken);
    }

    /// <summary>OAUTHBEARER when announced, else XOAUTH2, else null (the server cannot take a token).</summary>
    public static string? ChooseOAuthMechanism(IEnumerable<string> announced)
    {
        var set = new HashSet<string>(announced, StringComparer.OrdinalIgnoreCase);
        if (set.Contains(OAuthBearer))
            return OAuthBearer;
        return set.Contains(XOAuth2) ? XOAuth2 : null;
    }
}

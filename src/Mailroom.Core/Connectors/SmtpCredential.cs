namespace Mailroom.Core.Connectors;

/// <summary>
/// How to log in to a submission server: a password, or an OAuth2 access token (SASL XOAUTH2/OAUTHBEARER). Whoever
/// holds the account's grant supplies a fresh token; the connector only presents it.
/// </summary>
public sealed record SmtpCredential(string UserName, string Secret, bool IsAccessToken = false)
{
    // Records print their members; a credential must never reach a log or an exception message.
    public override string ToString() => $"SmtpCredential {{ UserName = {UserName}, Secret = *** }}";
}

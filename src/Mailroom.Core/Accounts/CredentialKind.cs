namespace Mailroom.Core.Accounts;

/// <summary>How a mailbox logs in.</summary>
public enum CredentialKind
{
    /// <summary>A password (LOGIN, or SASL PLAIN).</summary>
    Password = 0,

    /// <summary>An OAuth2 access token (SASL OAUTHBEARER, else XOAUTH2).</summary>
    OAuth2 = 1,
}

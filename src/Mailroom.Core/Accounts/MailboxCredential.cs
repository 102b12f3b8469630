namespace Mailroom.Core.Accounts;

/// <summary>
/// What a connector logs in with: a password or an OAuth2 access token, decrypted for one connection. Its text
/// form never contains the secret, so it cannot leak through a log message or an exception by accident.
/// </summary>
public sealed class MailboxCredential
{
    private MailboxCredential(CredentialKind kind, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        Kind = kind;
        Secret = secret;
    }

    public CredentialKind Kind { get; }

    /// <summary>The password or the access token. Pass it to the server; never print it.</summary>
    public string Secret { get; }

    public static MailboxCredential Password(string password) => new(CredentialKind.Password, password);

    public static MailboxCredential OAuth2(string accessToken) => new(CredentialKind.OAuth2, accessToken);

    public override string ToString() => $"{Kind} credential (secret not shown)";
}

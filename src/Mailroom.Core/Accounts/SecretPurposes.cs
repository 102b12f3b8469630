namespace Mailroom.Core.Accounts;

/// <summary>Purpose strings for <see cref="ISecretProtector"/>, one per stored secret field.</summary>
public static class SecretPurposes
{
    public const string MailboxPassword = "Mailroom.Mailbox.Password.v1";

    /// <summary>An OAuth2 access token of a mailbox.</summary>
    public const string OAuthAccessToken = "Mailroom.Mailbox.OAuthAccessToken.v1";

    /// <summary>An OAuth2 refresh token of a mailbox.</summary>
    public const string OAuthRefreshToken = "Mailroom.Mailbox.OAuthRefreshToken.v1";

    /// <summary>The signing secret of a webhook subscription.</summary>
    public const string WebhookSecret = "Mailroom.Webhook.Secret.v1";
}

namespace Mailroom.Core.Accounts;

/// <summary>Purpose strings for <see cref="ISecretProtector"/>, one per stored secret field.</summary>
public static class SecretPurposes
{
    public const string MailboxPassword = "Mailroom.Mailbox.Password.v1";
}

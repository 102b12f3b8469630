using Mailroom.Core.Storage;

namespace Mailroom.Core.Accounts;

/// <summary>
/// Connects with a mailbox's credential, whatever it is: the decrypted password, or an OAuth2 access token refreshed
/// when needed (and once more after a refused login). Sending uses it for SMTP and for filing into Sent, so both log in
/// exactly as sync does.
/// </summary>
public interface ICredentialSource
{
    Task<T> ConnectAsync<T>(MailboxRecord mailbox, Func<MailboxCredential, CancellationToken, Task<T>> connect, CancellationToken cancellationToken);
}

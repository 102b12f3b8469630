using Mailroom.Core.Accounts;

namespace Mailroom.Core.Storage;

/// <summary>Organizations and their mailboxes. Secrets are stored only as ciphertext made by <see cref="ISecretProtector"/>.</summary>
public interface IAccountStore
{
    /// <summary>The organization with this name, created if missing (a fresh install has "default").</summary>
    Task<long> EnsureOrganizationAsync(string name, CancellationToken cancellationToken);

    /// <summary>Adds a mailbox; fails with <see cref="InvalidOperationException"/> if the name is taken in the organization.</summary>
    Task<MailboxRecord> AddMailboxAsync(
        long organizationId, string name, MailboxProtocol protocol, MailboxSettings settings, string protectedSecret,
        CancellationToken cancellationToken);

    /// <summary>Adds a mailbox that logs in with OAuth2 (<see cref="MailboxSettings.OAuthProvider"/> set) and its tokens.</summary>
    Task<MailboxRecord> AddOAuthMailboxAsync(
        long organizationId, string name, MailboxProtocol protocol, MailboxSettings settings, StoredOAuthTokens tokens,
        CancellationToken cancellationToken);

    /// <summary>The stored tokens of an OAuth2 mailbox; null for a password mailbox.</summary>
    Task<StoredOAuthTokens?> GetOAuthTokensAsync(long mailboxId, CancellationToken cancellationToken);

    /// <summary>Replaces the tokens (after a refresh, or a new authorization).</summary>
    Task SaveOAuthTokensAsync(long mailboxId, StoredOAuthTokens tokens, CancellationToken cancellationToken);

    Task<IReadOnlyList<MailboxRecord>> ListMailboxesAsync(CancellationToken cancellationToken);

    /// <summary>Finds a mailbox by numeric id or by name.</summary>
    Task<MailboxRecord?> FindMailboxAsync(string idOrName, CancellationToken cancellationToken);

    Task<string> GetProtectedSecretAsync(long mailboxId, CancellationToken cancellationToken);

    /// <summary>Removes the mailbox and everything synced from it. Returns false if it did not exist.</summary>
    Task<bool> RemoveMailboxAsync(long mailboxId, CancellationToken cancellationToken);

    /// <summary>
    /// Sets what the mailbox keeps. Going from <see cref="MailboxScope.Contacts"/> to <see cref="MailboxScope.All"/>
    /// forgets the skipped messages, so the next sync fetches them. False when there is no such mailbox.
    /// </summary>
    /// <summary>
    /// Switches how the mailbox is reached (IMAP and the Gmail API share the stored messages, so nothing is downloaded
    /// again), with the server it is reached at; the mailbox is new again, so that its worker restarts. False when unknown.
    /// </summary>
    Task<bool> SetMailboxProtocolAsync(long mailboxId, Accounts.MailboxProtocol protocol, string host, int port, CancellationToken cancellationToken);

    Task<bool> SetMailboxScopeAsync(long mailboxId, MailboxScope scope, CancellationToken cancellationToken);

    /// <summary>Sets (or clears, with null) the submission server of the mailbox.</summary>
    Task SetSmtpAsync(long mailboxId, SmtpSettings? smtp, CancellationToken cancellationToken);

    /// <summary>Remembers whether the server files sent mail itself.</summary>
    Task SetSentFilingAsync(long mailboxId, SentFiling filing, CancellationToken cancellationToken);

    /// <summary>Sets (or clears, with null) the mailbox's own address. False when there is no such mailbox.</summary>
    Task<bool> SetMailboxAddressAsync(long mailboxId, string? address, CancellationToken cancellationToken);

    /// <summary>
    /// When the mailbox has no address yet: the From address of more than half of its Sent messages becomes its
    /// address. Returns the address learned, or null (an address was set, no Sent messages, or no From dominates).
    /// </summary>
    Task<string?> LearnAddressFromSentAsync(long mailboxId, CancellationToken cancellationToken);

    /// <summary>Pauses or resumes the mailbox (no worker runs while it is paused). False when there is no such mailbox.</summary>
    Task<bool> SetMailboxPausedAsync(long mailboxId, bool paused, CancellationToken cancellationToken);

    /// <summary>Records the outcome of a sync run (with the error text); <see cref="MailboxState.Ok"/> also sets the last sync time.</summary>
    Task SetMailboxStateAsync(long mailboxId, MailboxState state, string? lastError, DateTimeOffset at, CancellationToken cancellationToken);
}

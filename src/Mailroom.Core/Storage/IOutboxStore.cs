using Mailroom.Core.Sending;

namespace Mailroom.Core.Storage;

/// <summary>
/// The persisted outbox. Rows are claimed with a lease by a conditional UPDATE, so several processes sharing one
/// database never send the same row at once; every later change is conditional on the claim token.
/// </summary>
public interface IOutboxStore
{
    /// <summary>
    /// Persists a send request. When the mailbox already has one with this idempotency key, nothing is added and that
    /// one is returned with <c>Created = false</c> (whatever its message: the key, not the content, decides).
    /// </summary>
    Task<(OutboxItem Item, bool Created)> EnqueueAsync(long mailboxId, string idempotencyKey, ComposedMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="max"/> rows that are due: queued or retrying with their time come, or sending with
    /// an expired lease (a sender that died). Oldest first; only rows of <paramref name="mailboxId"/> when given.
    /// </summary>
    Task<IReadOnlyList<ClaimedItem>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int max, long? mailboxId, CancellationToken cancellationToken);

    /// <summary>Extends the lease of the still-held rows; returns how many were still held.</summary>
    Task<int> RenewAsync(IReadOnlyList<ClaimedItem> claims, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>
    /// Marks claimed rows as being submitted (one attempt each) in one statement; returns those still held (a claim
    /// whose lease ran out may have been taken over).
    /// </summary>
    Task<IReadOnlyList<ClaimedItem>> MarkSendingAsync(IReadOnlyList<ClaimedItem> claims, CancellationToken cancellationToken);

    /// <summary>
    /// Records outcomes in one transaction (with a <c>send.succeeded</c> or <c>send.failed</c> event for each sent or
    /// failed row) and releases their leases. A row no longer held by its claim is left alone; returns how many were
    /// recorded.
    /// </summary>
    Task<int> RecordAsync(IReadOnlyList<SendResult> results, CancellationToken cancellationToken);

    /// <summary>
    /// Releases a lease without an attempt (the sender stopped first): a row marked sending but never submitted goes
    /// back to queued (retrying when it had earlier attempts), and is due again at once.
    /// </summary>
    Task ReleaseAsync(ClaimedItem claim, CancellationToken cancellationToken);

    /// <summary>Sent rows whose Sent copy is still to be filed (pending, or an append not known to have finished), with their bytes, oldest first.</summary>
    Task<IReadOnlyList<(OutboxItem Item, byte[] Raw)>> ListPendingSentCopiesAsync(long mailboxId, int max, CancellationToken cancellationToken);

    /// <summary>Mailboxes that have sent rows whose Sent copy is still to be filed.</summary>
    Task<IReadOnlyList<long>> MailboxesWithPendingSentCopiesAsync(CancellationToken cancellationToken);

    /// <summary>Keeps why a row's Sent copy could not be filed yet; its state stays as it is (pending or appending).</summary>
    Task SetSentCopyProblemAsync(long id, string problem, CancellationToken cancellationToken);

    /// <summary>Records the same Sent-copy outcome for several rows in one statement.</summary>
    Task SetSentCopiesAsync(IReadOnlyCollection<long> ids, SentCopyState state, CancellationToken cancellationToken);

    Task<OutboxItem?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>The newest rows first, of one mailbox or all.</summary>
    Task<IReadOnlyList<OutboxItem>> ListAsync(long? mailboxId, int max, CancellationToken cancellationToken);

    /// <summary>The stored bytes of a row (what was, or will be, submitted).</summary>
    Task<byte[]?> GetRawAsync(long id, CancellationToken cancellationToken);
}

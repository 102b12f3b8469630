using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;

namespace Mailroom.Core.Sending;

/// <summary>
/// Sends what the outbox holds: claims due rows with a lease, submits each through one session per mailbox of the
/// mailbox's <see cref="IMessageSubmitter"/> (an SMTP connection, or a provider API such as Gmail's),
/// records the outcome (sent; 4xx or network: retrying with backoff; 5xx: failed with the reply), then files the
/// Sent copies. Host-agnostic: <c>serve</c> runs <see cref="RunAsync"/>, <c>send --wait</c> calls <see cref="RunOnceAsync"/>.
/// Safe with several processes on one database: the store's claims, not memory, decide who sends a row.
/// </summary>
/// <remarks>
/// At-least-once, with one window: a process that dies after the server's final 250 and before the group of outcomes
/// holding it commits (<see cref="OutcomeRecorder"/>: within <see cref="OutboxOptions.RecordInterval"/> plus one write,
/// made while the next messages are submitted) leaves the row in <see cref="OutboxState.Sending"/>; once its lease runs
/// out it is sent again (same bytes, same Message-ID). SMTP gives no way to ask a server whether it took a message
/// (RFC 1047), so the alternative would be to lose mail instead.
/// </remarks>
public sealed class OutboxSender(
    IOutboxStore outbox,
    IAccountStore accounts,
    IEnumerable<IMessageSubmitter> submitters,
    SentCopyFiler filer,
    OutboxOptions options,
    TimeProvider time)
{
    private readonly IMessageSubmitter[] _submitters = [.. submitters];

    private readonly Backoff _backoff = new(options.RetryInitial, options.RetryCap);
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Asks a waiting <see cref="RunAsync"/> to look for work now (a new row was queued).</summary>
    public void Wake() => Volatile.Read(ref _wake).TrySetResult();

    /// <summary>Runs passes until cancelled, waiting <see cref="OutboxOptions.PollInterval"/> (or a wake-up) when idle.</summary>
    public async Task RunAsync(Action<OutboxPass>? onPass, Action<Exception>? onError, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var pass = OutboxPass.Empty;
            try
            {
                pass = await RunOnceAsync(null, cancellationToken);
                if (pass.DidAnything)
                    onPass?.Invoke(pass);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The database was unreachable, say: the rows stay where they were; try again after the interval.
                onError?.Invoke(ex);
            }
            if (pass.Sent + pass.Retrying + pass.Failed > 0)
                continue;
            var signal = Volatile.Read(ref _wake).Task;
            try
            {
                await Task.WhenAny(signal, Task.Delay(options.PollInterval, time, cancellationToken));
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (signal.IsCompleted)
                Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }

    /// <summary>One pass: claim the due rows (of one mailbox, or all), send them, and file every pending Sent copy.</summary>
    public async Task<OutboxPass> RunOnceAsync(long? mailboxId, CancellationToken cancellationToken)
    {
        var pass = OutboxPass.Empty;
        var claims = await outbox.ClaimAsync(time.GetUtcNow(), options.Lease, options.BatchSize, mailboxId, cancellationToken);
        var drained = new HashSet<long>();
        foreach (var group in claims.GroupBy(c => c.Item.MailboxId))
        {
            drained.Add(group.Key);
            pass = pass.Add(await DrainAsync(group.Key, [.. group], cancellationToken));
        }

        // Copies left pending by an earlier pass (IMAP was unreachable, say) of mailboxes that had nothing to send now.
        var pending = mailboxId is { } only ? [only] : await outbox.MailboxesWithPendingSentCopiesAsync(cancellationToken);
        foreach (var id in pending.Where(id => !drained.Contains(id)))
        {
            if (await FindAsync(id, cancellationToken) is { } mailbox)
                pass = pass.Add(await filer.FileAsync(mailbox, cancellationToken));
        }
        return pass;
    }

    /// <summary>
    /// Why the mailbox cannot send at all (no SMTP server for an IMAP mailbox, say), or null: what the CLI and the API
    /// check before queueing, asked of the submitter of the mailbox's protocol.
    /// </summary>
    public string? CannotSend(MailboxRecord mailbox) => _submitters.FirstOrDefault(s => s.Sends(mailbox)) is { } submitter
        ? submitter.CannotSend(mailbox)
        : $"Mailroom cannot send for {mailbox.Protocol} mailboxes.";

    /// <summary>
    /// Sends a mailbox's claim, then claims and sends more of its rows while a claim comes back full, over one SMTP
    /// connection. Each claim's Sent copies are filed over one IMAP session while the next claim is submitted; one
    /// filer per mailbox at a time (passes never overlap in a process).
    /// </summary>
    private async Task<OutboxPass> DrainAsync(long mailboxId, List<ClaimedItem> claims, CancellationToken cancellationToken)
    {
        var mailbox = await FindAsync(mailboxId, cancellationToken);
        var submitter = mailbox is null ? null : _submitters.FirstOrDefault(s => s.Sends(mailbox));
        var cannot = mailbox is null ? "The account was removed." : CannotSend(mailbox);
        if (mailbox is null || submitter is null || cannot is not null)
        {
            await outbox.RecordAsync([.. claims.Select(c => SendResult.Failed(c, null, cannot!, time.GetUtcNow()))], cancellationToken);
            return new OutboxPass(0, 0, claims.Count, 0, 0);
        }

        if (mailbox.State == MailboxState.NeedsReauth)
            return await HoldForReauthorizationAsync(mailbox, claims, cancellationToken);

        var pass = OutboxPass.Empty;
        var connection = new SubmissionConnection(submitter);
        await using var sentCopies = filer.Open(mailbox);
        var filing = sentCopies.FileAsync(cancellationToken);
        try
        {
            while (true)
            {
                pass = pass.Add(await SendAsync(mailbox, claims, connection, cancellationToken));
                pass = pass.Add(await filing);
                if (connection.NeedsReauthorization)
                    return pass;
                filing = sentCopies.FileAsync(cancellationToken);
                if (claims.Count < options.BatchSize)
                    break;
                claims = [.. await outbox.ClaimAsync(time.GetUtcNow(), options.Lease, options.BatchSize, mailboxId, cancellationToken)];
                if (claims.Count == 0)
                    break;
            }
            return pass.Add(await filing);
        }
        finally
        {
            if (!filing.IsCompleted)
                await Task.WhenAny(filing);
            if (connection.Session is not null)
                await connection.Session.DisposeAsync();
        }
    }

    private Task<MailboxRecord?> FindAsync(long mailboxId, CancellationToken cancellationToken) =>
        accounts.FindMailboxAsync(mailboxId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);

    private async Task<OutboxPass> SendAsync(MailboxRecord mailbox, List<ClaimedItem> claims, SubmissionConnection connection, CancellationToken cancellationToken)
    {
        int sent = 0, retrying = 0, failed = 0;
        // One statement marks the whole claim as being sent; outcomes are then recorded in groups while the next
        // messages are submitted, which keeps the database off the critical path.
        claims = [.. await outbox.MarkSendingAsync(claims, cancellationToken)];
        var recorder = new OutcomeRecorder(outbox, options.RecordInterval, time);
        ConnectorException? reauthorization = null;
        var next = 0;
        try
        {
            for (var i = 0; i < claims.Count; i++)
            {
                next = i + 1;
                var claim = claims[i];
                cancellationToken.ThrowIfCancellationRequested();
                if (claim.LeaseUntil - time.GetUtcNow() < options.SendTimeout)
                {
                    var until = time.GetUtcNow() + options.Lease + options.SendTimeout;
                    await outbox.RenewAsync(claims[i..], until, cancellationToken);
                    for (var j = i; j < claims.Count; j++)
                        claims[j] = claims[j] with { LeaseUntil = until };
                    claim = claims[i];
                }

                SmtpOutcome outcome;
                try
                {
                    var session = connection.Session ??= await connection.Submitter.OpenAsync(mailbox, cancellationToken);
                    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    deadline.CancelAfter(options.SendTimeout);
                    outcome = await session.SendAsync(claim, deadline.Token);
                }
                catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.ReauthorizationRequired)
                {
                    // The grant is dead: retrying would only ask the provider again and again. The mailbox waits for
                    // a person; this message and the rest of the claim wait with it.
                    reauthorization = ex;
                    break;
                }
                catch (Exception ex) when (ex is ConnectorException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // The connection is gone or unusable; the next message reconnects. Refused logins and bad settings
                    // are retried too (the operator may fix them) until GiveUpAfter, with the reason kept on the row.
                    if (connection.Session is not null)
                        await connection.Session.DisposeAsync();
                    connection.Session = null;
                    outcome = new SmtpOutcome(SmtpOutcomeKind.Temporary, null, ex.Message);
                }

                var now = time.GetUtcNow();
                var state = outcome.Kind switch
                {
                    SmtpOutcomeKind.Accepted => OutboxState.Sent,
                    SmtpOutcomeKind.Temporary when now - claim.Item.CreatedAt < options.GiveUpAfter => OutboxState.Retrying,
                    _ => OutboxState.Failed,
                };
                _ = state switch { OutboxState.Sent => sent++, OutboxState.Retrying => retrying++, _ => failed++ };
                // The claim was read before MarkSendingAsync counted this try: Attempts is the 0-based retry number.
                var retryAt = now + _backoff.Delay(claim.Item.Attempts, Random.Shared.NextDouble());
                recorder.Add(new SendResult(claim, state, outcome.Code, outcome.Reply, now, retryAt));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: rows not yet attempted are released for the next run; one in flight stays "sending" until its lease ends.
            await recorder.FlushAsync();
            foreach (var claim in claims.Skip(next))
                await outbox.ReleaseAsync(claim, CancellationToken.None);
            throw;
        }
        await recorder.FlushAsync();
        if (reauthorization is not null)
        {
            connection.NeedsReauthorization = true;
            await accounts.SetMailboxStateAsync(mailbox.Id, MailboxState.NeedsReauth, reauthorization.Message, time.GetUtcNow(), CancellationToken.None);
            var held = await HoldForReauthorizationAsync(mailbox with { LastError = reauthorization.Message }, claims[(next - 1)..], CancellationToken.None);
            retrying += held.Retrying;
            failed += held.Failed;
        }
        return new OutboxPass(sent, retrying, failed, 0, 0);
    }

    /// <summary>
    /// A mailbox whose OAuth grant is dead sends nothing and asks nobody (no token request, no SMTP connection): its
    /// rows stay <see cref="OutboxState.Retrying"/> with the reason, looked at again with the usual backoff (a database
    /// update, no network), and are sent at their next look after the mailbox is authorized again; after <see cref="OutboxOptions.GiveUpAfter"/>
    /// they fail like any message that could not be sent in time.
    /// </summary>
    private async Task<OutboxPass> HoldForReauthorizationAsync(MailboxRecord mailbox, IReadOnlyList<ClaimedItem> claims, CancellationToken cancellationToken)
    {
        var reason = "Not sent yet: the mailbox needs to be authorized again (needs_reauth)"
            + (mailbox.LastError is { Length: > 0 } why ? ": " + why : ".");
        var now = time.GetUtcNow();
        var results = claims.Select(claim => now - claim.Item.CreatedAt < options.GiveUpAfter
            ? SendResult.Retrying(claim, null, reason, now, now + _backoff.Delay(claim.Item.Attempts, Random.Shared.NextDouble()))
            : SendResult.Failed(claim, null, reason, now)).ToList();
        await outbox.RecordAsync(results, cancellationToken);
        var retrying = results.Count(r => r.State == OutboxState.Retrying);
        var failed = results.Count - retrying;
        return new OutboxPass(0, retrying, failed, 0, 0);
    }

    /// <summary>The submission session a drain keeps across its claims; replaced after a connection failure.</summary>
    private sealed class SubmissionConnection(IMessageSubmitter submitter)
    {
        public IMessageSubmitter Submitter => submitter;

        public ISubmissionSession? Session { get; set; }

        /// <summary>The OAuth grant died during this drain: nothing more is attempted for the mailbox.</summary>
        public bool NeedsReauthorization { get; set; }
    }
}

using System.Collections.Concurrent;
using Mailroom.Core.Accounts;
using Mailroom.Core.Events;
using Mailroom.Core.Storage;

namespace Mailroom.Server.Webhooks;

/// <summary>
/// Delivers webhooks inside <c>serve</c>: turns new events of the log into deliveries, claims due ones with a lease,
/// posts them concurrently and records every attempt. The event log is the truth and a webhook only a hint, so
/// nothing here can lose an event: a crash leaves claimed deliveries to be taken over when their lease ends. Any
/// number of processes may run it over one database.
/// </summary>
internal sealed class WebhookWorker(
    IWebhookStore store, WebhookSender sender, ISecretProtector secrets, EventSignal signal, WebhookOptions options, TimeProvider time,
    ILogger<WebhookWorker> logger) : BackgroundService
{
    private const int DispatchBatch = 500;

    private readonly WebhookRetry _retry = new(options.RetryInitial, options.RetryCap, options.GiveUpAfter);
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = signal.Next;
            try
            {
                var (events, attempts) = await PassAsync(stoppingToken);
                if (events == 0 && attempts == 0)
                    await EventSignal.WaitAsync(next, options.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.WebhookPassFailed(logger, ex);
                await Task.Delay(options.PollInterval, time, stoppingToken);
            }
        }
    }

    /// <summary>One round: dispatch new events, then claim, post and record due deliveries. Returns what it did.</summary>
    public async Task<(int Events, int Attempts)> PassAsync(CancellationToken cancellationToken)
    {
        var events = await store.DispatchAsync(time.GetUtcNow(), DispatchBatch, cancellationToken);
        var claims = await store.ClaimAsync(time.GetUtcNow(), options.Lease, options.BatchSize, cancellationToken);
        if (claims.Count == 0)
            return (events, 0);

        using var slots = new SemaphoreSlim(options.Concurrency);
        var outcomes = await Task.WhenAll(claims.Select(async claim =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                return await AttemptAsync(claim, cancellationToken);
            }
            finally
            {
                slots.Release();
            }
        }));
        await store.CompleteAsync(outcomes, cancellationToken);
        foreach (var o in outcomes.Where(o => !o.Succeeded))
        {
            if (o.NextAttemptAt is { } at)
                Log.WebhookRetrying(logger, o.Claim.DeliveryId, o.Claim.Url.Host, o.Claim.Attempt, o.Error ?? "", at);
            else
                Log.WebhookFailed(logger, o.Claim.DeliveryId, o.Claim.Url.Host, o.Claim.Attempt, o.Error ?? "");
        }
        return (events, claims.Count);
    }

    private async Task<DeliveryOutcome> AttemptAsync(ClaimedDelivery claim, CancellationToken cancellationToken)
    {
        string secret;
        try
        {
            secret = _secrets.GetOrAdd(claim.ProtectedSecret, p => secrets.Unprotect(SecretPurposes.WebhookSecret, p));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // The key ring lost the key: no signature can be made, and retrying will not bring it back.
            return new DeliveryOutcome(claim, time.GetUtcNow(), TimeSpan.Zero, false, null, "the signing secret cannot be decrypted (key ring changed)", null);
        }

        DeliveryOutcome outcome;
        try
        {
            outcome = await sender.SendAsync(claim, secret, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever the sender did not expect fails this attempt only: the batch's other outcomes must still be recorded.
            outcome = new DeliveryOutcome(claim, time.GetUtcNow(), TimeSpan.Zero, false, null, ex.Message, null);
        }
        return outcome.Succeeded
            ? outcome
            : outcome with { NextAttemptAt = _retry.Next(claim.Attempt, claim.RetrySince, time.GetUtcNow(), Random.Shared.NextDouble()) };
    }
}

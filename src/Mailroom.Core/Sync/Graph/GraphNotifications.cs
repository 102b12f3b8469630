using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;

namespace Mailroom.Core.Sync.Graph;

/// <summary>
/// The live Graph subscriptions of this process and the notifications handed from the notification endpoint to the
/// mailboxes' workers. A notification counts only when it names a subscription held here and carries that
/// subscription's clientState (a random secret given to Graph when it was made, compared in constant time): anything
/// else is ignored. Notifications only wake a worker, which then runs its delta; several while it syncs are one wake-up.
/// </summary>
public sealed class GraphNotifications
{
    private readonly ConcurrentDictionary<long, Mailbox> _mailboxes = new();
    private readonly ConcurrentDictionary<string, (Mailbox Mailbox, byte[] ClientState)> _subscriptions = new(StringComparer.OrdinalIgnoreCase);
    private long _accepted, _ignored;

    /// <summary>Notifications that woke a worker, for tests and logs.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Notifications ignored (unknown subscription or wrong clientState).</summary>
    public long Ignored => Interlocked.Read(ref _ignored);

    /// <summary>A new random clientState: 32 bytes, base64url (Graph allows 128 characters).</summary>
    public static string NewClientState() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>From now on, notifications of <paramref name="subscriptionId"/> with <paramref name="clientState"/> wake the mailbox's worker.</summary>
    public void Register(long mailboxId, string subscriptionId, string clientState) =>
        _subscriptions[subscriptionId] = (For(mailboxId), Encoding.UTF8.GetBytes(clientState));

    /// <summary>The subscription is gone (removed, replaced or deleted): its notifications are ignored from now on.</summary>
    public void Unregister(string subscriptionId) => _subscriptions.TryRemove(subscriptionId, out _);

    /// <summary>
    /// One notification (a change, or a lifecycle event when <paramref name="lifecycleEvent"/> is set) as it reached the
    /// endpoint: its mailbox's worker is woken when it is genuine.
    /// </summary>
    public GraphNotificationOutcome Accept(string? subscriptionId, string? clientState, string? lifecycleEvent)
    {
        if (subscriptionId is null || !_subscriptions.TryGetValue(subscriptionId, out var subscription))
        {
            Interlocked.Increment(ref _ignored);
            return GraphNotificationOutcome.UnknownSubscription;
        }
        if (clientState is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(clientState), subscription.ClientState))
        {
            Interlocked.Increment(ref _ignored);
            return GraphNotificationOutcome.WrongClientState;
        }
        Interlocked.Increment(ref _accepted);
        subscription.Mailbox.Signal(lifecycleEvent switch
        {
            null or "" => GraphPushEvents.Changed,
            "reauthorizationRequired" => GraphPushEvents.ReauthorizationRequired,
            "subscriptionRemoved" => GraphPushEvents.SubscriptionRemoved,
            _ => GraphPushEvents.Missed, // "missed", or an event Graph adds later: a delta run is always safe
        });
        return GraphNotificationOutcome.Accepted;
    }

    /// <summary>What arrived for the mailbox since the last call; waits at most <paramref name="timeout"/> when nothing has.</summary>
    public async Task<GraphPushEvents> WaitAsync(long mailboxId, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var mailbox = For(mailboxId);
        if (mailbox.Take() is not GraphPushEvents.None and var ready)
            return ready;
        using var wait = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wait.Token);
        try
        {
            await mailbox.Wake.Reader.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Silent too long: the caller polls (or renews its subscription).
        }
        return mailbox.Take();
    }

    private Mailbox For(long mailboxId) => _mailboxes.GetOrAdd(mailboxId, _ => new Mailbox());

    private sealed class Mailbox
    {
        private int _pending;

        public Channel<bool> Wake { get; } = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

        public void Signal(GraphPushEvents events)
        {
            Interlocked.Or(ref _pending, (int)events);
            Wake.Writer.TryWrite(true);
        }

        public GraphPushEvents Take()
        {
            Wake.Reader.TryRead(out _);
            return (GraphPushEvents)Interlocked.Exchange(ref _pending, 0);
        }
    }
}

using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Mailroom.Connectors.GmailApi;

/// <summary>
/// Push notifications handed from the Pub/Sub subscriber to the mailboxes' workers, by address. A notification that
/// arrives while its worker syncs is kept (one at most), so the worker syncs again at once.
/// </summary>
public sealed class GmailPushSignals
{
    private readonly ConcurrentDictionary<string, Channel<bool>> _mailboxes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Notifications received, for tests and logs.</summary>
    public long Received => Interlocked.Read(ref _received);

    private long _received;

    public void Notify(string emailAddress)
    {
        Interlocked.Increment(ref _received);
        For(emailAddress).Writer.TryWrite(true);
    }

    /// <summary>Waits for a notification for <paramref name="emailAddress"/>, at most <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(string emailAddress, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await For(emailAddress).Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Silent too long: the caller polls.
        }
    }

    private Channel<bool> For(string emailAddress) =>
        _mailboxes.GetOrAdd(emailAddress, _ => Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite }));
}

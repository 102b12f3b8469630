using Mailroom.Core.Connectors;

namespace Mailroom.Core.Sync;

/// <summary>
/// The part of a worker's life that does not depend on the protocol: run the connected work, and when it fails,
/// decide. A dropped connection or a server error is retried after a capped exponential backoff with jitter; refused
/// credentials or settings that cannot work stop the loop and say why; cancellation ends it quietly.
/// </summary>
internal sealed class ReconnectLoop(MailboxWorkerOptions options, TimeProvider time, Func<MailboxWorkerState, string?, Task> reportState)
{
    private readonly Backoff _backoff = new(options.ReconnectInitial, options.ReconnectCap);
    private int _failures; // since the last connection that was in step or stored something

    /// <summary>
    /// The current connection stored messages: if it fails now, the next attempt waits as after a first failure.
    /// A link that cuts every session after some megabytes then finishes a first sync at one short wait per
    /// connection, instead of backing off to the cap while each connection makes progress. Callable from any thread.
    /// </summary>
    public void MadeProgress() => Volatile.Write(ref _failures, 0);

    /// <param name="connected">
    /// Connects and works until the connection fails or the token is cancelled. It calls the function it is given
    /// each time the mailbox is in step, which reports <see cref="MailboxWorkerState.Live"/> and resets the backoff.
    /// </param>
    public async Task RunAsync(Func<Func<Task>, CancellationToken, Task> connected, CancellationToken cancellationToken)
    {
        async Task Live()
        {
            await reportState(MailboxWorkerState.Live, null);
            Volatile.Write(ref _failures, 0);
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await connected(Live, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ConnectorException ex) when (ex.Kind is ConnectorErrorKind.AuthenticationFailed
                                                    or ConnectorErrorKind.Misconfigured
                                                    or ConnectorErrorKind.ReauthorizationRequired)
            {
                // Retrying cannot help (and with a revoked grant would only hammer the provider): stop, and say why.
                var state = ex.Kind switch
                {
                    ConnectorErrorKind.AuthenticationFailed => MailboxWorkerState.AuthFailed,
                    ConnectorErrorKind.ReauthorizationRequired => MailboxWorkerState.NeedsReauth,
                    _ => MailboxWorkerState.Failed,
                };
                await reportState(state, ex.Message);
                return;
            }
            catch (Exception ex)
            {
                await reportState(MailboxWorkerState.Reconnecting, ex.Message);
                var delay = _backoff.Delay(Interlocked.Increment(ref _failures) - 1, Random.Shared.NextDouble());
                try
                {
                    await Task.Delay(delay, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}

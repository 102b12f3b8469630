using System.Collections.Concurrent;
using Mailroom.Core.Connectors;
using Mailroom.Core.Sync;
using Mailroom.Core.Sync.Pop3;

namespace Mailroom.Core.Tests.Sync.Pop3;

public sealed class Pop3WorkerTests
{
    private static readonly MailboxWorkerOptions Fast = new()
    {
        PollInterval = TimeSpan.FromMilliseconds(50),
        ReconnectInitial = TimeSpan.FromMilliseconds(5),
        ReconnectCap = TimeSpan.FromMilliseconds(20),
    };

    [Fact]
    public async Task The_mailbox_is_polled_with_a_new_connection_each_time_and_new_mail_arrives()
    {
        var maildrop = new FakePop3Session().Add("u1", "first");
        var connections = 0;
        var store = new MemoryPop3Store();
        var states = new ConcurrentQueue<MailboxWorkerState>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var worker = new Pop3Worker(1,
            _ =>
            {
                Interlocked.Increment(ref connections);
                lock (maildrop)
                    return Task.FromResult<IPop3Session>(maildrop.Reconnect());
            },
            new Pop3Sync(store, TimeProvider.System, new SyncOptions { ParseConcurrency = 1 }),
            Fast, TimeProvider.System, (s, _) => { states.Enqueue(s); return Task.CompletedTask; });
        var run = worker.RunAsync(stop.Token);

        await WaitUntilAsync(() => store.MessageCount == 1);
        lock (maildrop)
            maildrop.Add("u2", "second");
        await WaitUntilAsync(() => store.MessageCount == 2);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.True(connections >= 2, $"{connections} connections");
        Assert.All(states, s => Assert.Equal(MailboxWorkerState.Live, s));
    }

    [Fact]
    public async Task A_dropped_connection_is_retried_with_backoff_and_refused_credentials_stop_the_worker()
    {
        var attempts = 0;
        var states = new ConcurrentQueue<(MailboxWorkerState, string?)>();
        var worker = new Pop3Worker(1,
            _ => ++attempts switch
            {
                < 3 => throw new ConnectorException(ConnectorErrorKind.Transient, "connection refused"),
                _ => throw new ConnectorException(ConnectorErrorKind.AuthenticationFailed, "-ERR [AUTH] Authentication failed."),
            },
            new Pop3Sync(new MemoryPop3Store(), TimeProvider.System, new SyncOptions()),
            Fast, TimeProvider.System, (s, e) => { states.Enqueue((s, e)); return Task.CompletedTask; });

        await worker.RunAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(3, attempts);
        Assert.Equal(
            [MailboxWorkerState.Reconnecting, MailboxWorkerState.Reconnecting, MailboxWorkerState.AuthFailed],
            states.Select(s => s.Item1).ToArray());
        Assert.Equal("-ERR [AUTH] Authentication failed.", states.Last().Item2);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 10 s");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}

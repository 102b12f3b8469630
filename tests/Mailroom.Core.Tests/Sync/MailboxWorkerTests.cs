using System.Collections.Concurrent;
using Mailroom.Core.Connectors;
using Mailroom.Core.Sync;

namespace Mailroom.Core.Tests.Sync;

public sealed class MailboxWorkerTests
{
    private static readonly MailboxWorkerOptions Fast = new()
    {
        PollInterval = TimeSpan.FromMinutes(10),
        IdleRestart = TimeSpan.FromSeconds(30),
        ReconnectInitial = TimeSpan.FromMilliseconds(5),
        ReconnectCap = TimeSpan.FromMilliseconds(20),
    };

    [Fact]
    public async Task A_change_announced_during_idle_is_synced_at_once()
    {
        var session = new FakeSession();
        session.Add("INBOX", 1, "first", role: FolderRole.Inbox);
        var store = new MemoryMessageStore();
        var states = new ConcurrentQueue<MailboxWorkerState>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var worker = new MailboxWorker(1, _ => Task.FromResult<IMailboxSession>(session),
            new MailboxSync(store, TimeProvider.System, new SyncOptions { BatchSize = 10, ParseConcurrency = 1 }),
            Fast, TimeProvider.System, (s, _) => { states.Enqueue(s); return Task.CompletedTask; });
        var run = worker.RunAsync(stop.Token);

        await WaitUntilAsync(() => store.MessageCount == 1);
        session.Add("INBOX", 2, "second");
        session.Changes.Release();
        await WaitUntilAsync(() => store.MessageCount == 2);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        // Live after the first sync, and again each time it is in step (a heartbeat for "last synced").
        Assert.NotEmpty(states);
        Assert.All(states, s => Assert.Equal(MailboxWorkerState.Live, s));
    }

    [Fact]
    public async Task A_dropped_connection_is_retried_with_backoff_until_it_works()
    {
        var attempts = 0;
        var session = new FakeSession();
        session.Add("INBOX", 1, "first", role: FolderRole.Inbox);
        var store = new MemoryMessageStore();
        var states = new ConcurrentQueue<MailboxWorkerState>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var worker = new MailboxWorker(1,
            _ => ++attempts < 4
                ? throw new ConnectorException(ConnectorErrorKind.Transient, "connection refused")
                : Task.FromResult<IMailboxSession>(session),
            new MailboxSync(store, TimeProvider.System, new SyncOptions()),
            Fast, TimeProvider.System, (s, _) => { states.Enqueue(s); return Task.CompletedTask; });
        var run = worker.RunAsync(stop.Token);

        await WaitUntilAsync(() => store.MessageCount == 1);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(4, attempts);
        Assert.Equal(
            [MailboxWorkerState.Reconnecting, MailboxWorkerState.Reconnecting, MailboxWorkerState.Reconnecting, MailboxWorkerState.Live],
            states.ToArray()[..4]);
        Assert.All(states.Skip(4), s => Assert.Equal(MailboxWorkerState.Live, s));
    }

    [Fact]
    public async Task Refused_credentials_stop_the_worker_without_retrying()
    {
        var attempts = 0;
        string? reason = null;
        var worker = new MailboxWorker(1,
            _ => { attempts++; throw new ConnectorException(ConnectorErrorKind.AuthenticationFailed, "LOGIN refused"); },
            new MailboxSync(new MemoryMessageStore(), TimeProvider.System, new SyncOptions()),
            Fast, TimeProvider.System, (s, e) => { reason = $"{s}: {e}"; return Task.CompletedTask; });

        await worker.RunAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(1, attempts);
        Assert.Equal("AuthFailed: LOGIN refused", reason);
    }

    [Theory]
    [InlineData(0, 1.0, 1_000)]
    [InlineData(1, 1.0, 2_000)]
    [InlineData(3, 0.5, 4_000)]
    [InlineData(20, 1.0, 300_000)]
    [InlineData(1000, 1.0, 300_000)]
    [InlineData(2, 0.0, 0)]
    public void Backoff_is_capped_exponential_with_full_jitter(int attempt, double jitter, double expectedMs) =>
        Assert.Equal(expectedMs, new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5)).Delay(attempt, jitter).TotalMilliseconds, 3);

    [Fact]
    public async Task Connections_cut_after_a_few_messages_each_finish_the_first_sync_without_backing_off_to_the_cap()
    {
        // Every connection is cut after 7 bodies. Without the reset on progress, the 15th reconnect alone would
        // wait up to 50 ms · 2^14 (13 minutes); with it, each waits at most 50 ms.
        var attempts = 0;
        var store = new MemoryMessageStore();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var worker = new MailboxWorker(1,
            _ =>
            {
                attempts++;
                var session = new FakeSession { FailFetch = (7, new ConnectorException(ConnectorErrorKind.Transient, "connection reset")) };
                for (uint uid = 1; uid <= 100; uid++)
                    session.Add("INBOX", uid, $"m{uid}", role: FolderRole.Inbox);
                return Task.FromResult<IMailboxSession>(session);
            },
            new MailboxSync(store, TimeProvider.System, new SyncOptions { BatchSize = 25, ParseConcurrency = 1 }),
            new MailboxWorkerOptions
            {
                PollInterval = Fast.PollInterval, IdleRestart = Fast.IdleRestart,
                ReconnectInitial = TimeSpan.FromMilliseconds(50), ReconnectCap = TimeSpan.FromHours(1),
            },
            TimeProvider.System, (_, _) => Task.CompletedTask);
        var run = worker.RunAsync(stop.Token);

        await WaitUntilAsync(() => store.MessageCount == 100);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(15, attempts); // 14 connections of 7 messages, and the 15th carries the last 2
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

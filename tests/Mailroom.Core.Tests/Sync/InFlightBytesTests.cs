using System.Text;
using Mailroom.Core.Connectors;
using Mailroom.Core.Sync;

namespace Mailroom.Core.Tests.Sync;

public sealed class InFlightBytesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Waits_while_the_limit_would_be_passed_and_wakes_on_release()
    {
        var bytes = new InFlightBytes(100);
        await bytes.AcquireAsync(60, Ct);
        await bytes.AcquireAsync(40, Ct);
        var third = bytes.AcquireAsync(30, Ct).AsTask();
        await Task.Delay(50, Ct);
        Assert.False(third.IsCompleted);

        bytes.Release(20); // 80 held: 30 more would pass 100
        await Task.Delay(50, Ct);
        Assert.False(third.IsCompleted);

        bytes.Release(40); // 40 held
        await third.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.Equal(70, bytes.Held);
    }

    [Fact]
    public async Task A_message_larger_than_the_limit_passes_alone()
    {
        var bytes = new InFlightBytes(100);
        await bytes.AcquireAsync(500, Ct); // nothing held: passes
        var next = bytes.AcquireAsync(1, Ct).AsTask();
        await Task.Delay(50, Ct);
        Assert.False(next.IsCompleted);
        bytes.Release(500);
        await next.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.Equal(1, bytes.Held);
    }

    [Fact]
    public async Task A_cancelled_wait_throws_and_holds_nothing()
    {
        var bytes = new InFlightBytes(10);
        await bytes.AcquireAsync(10, Ct);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bytes.AcquireAsync(5, cts.Token).AsTask());
        Assert.Equal(10, bytes.Held);
        bytes.Release(10);
        await bytes.AcquireAsync(5, Ct);
        Assert.Equal(5, bytes.Held);
    }

    /// <summary>
    /// Forty 1 MB messages through the pipeline with room for 4 MB: between its delivery and the commit of its batch no
    /// more than 4 MB are ever held, whatever the batch size and parsers would allow by count (10 + 20 + 10 messages).
    /// </summary>
    [Fact]
    public async Task The_pipeline_holds_no_more_raw_bytes_than_PipelineBytes()
    {
        const int size = 1024 * 1024;
        var store = new MemoryMessageStore();
        var folder = await store.UpsertFolderAsync(1, new RemoteFolder("INBOX", '/', FolderRole.Inbox, CanSelect: true), Ct);
        var options = new SyncOptions { BatchSize = 10, ParseConcurrency = 2, PipelineBytes = 4 * size };
        long delivered = 0, maxHeld = 0;
        var pipeline = new FolderFetchPipeline(store, options, async (uids, onMessage, ct) =>
        {
            foreach (var uid in uids)
            {
                await onMessage(new FetchedMessage(uid, MessageFlags.None, [], null, Raw(uid, size)), ct);
                var held = Interlocked.Increment(ref delivered) - store.MessageCount;
                maxHeld = Math.Max(maxHeld, held);
            }
        });
        var uids = Enumerable.Range(1, 40).Select(i => (uint)i).Reverse().ToList();
        var (messages, bytes) = await pipeline.RunAsync(new FolderPlan(folder, new FolderStatus(1, 41, null, 40), uids), null, (_, _) => { }, Ct);

        Assert.Equal(40, messages);
        Assert.Equal(40, store.MessageCount);
        Assert.True(bytes >= 40L * size);
        Assert.InRange(maxHeld, 1, 4);
    }

    private static byte[] Raw(uint uid, int size)
    {
        var text = new StringBuilder($"Message-ID: <big-{uid}@example.org>\r\nSubject: Big {uid}\r\n\r\n");
        while (text.Length < size)
            text.Append('x', 76).Append("\r\n");
        return Encoding.ASCII.GetBytes(text.ToString(0, size));
    }
}

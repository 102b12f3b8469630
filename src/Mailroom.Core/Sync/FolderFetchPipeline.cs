using System.Threading.Channels;
using Mailroom.Core.Connectors;
using Mailroom.Core.Messages;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sync;

/// <summary>
/// Fetches, parses and stores one folder's missing messages with the three stages overlapped: the connection
/// streams batch after batch while parsers work on what arrived and the store writes whole batches in one
/// transaction each. Bounded channels, and a bound on the raw bytes held between fetch and store
/// (<see cref="SyncOptions.PipelineBytes"/>), keep memory flat whatever the mailbox size and its messages' sizes.
/// A fetch that fails (a cut connection, most often) does not stop the other stages: every message received whole
/// before it is parsed and stored, and only then does the failure surface. So each connection keeps what it carried,
/// and a link that ends every session after a few megabytes still completes the folder, one connection after another.
/// </summary>
/// <param name="fetchBatch">How one batch of UIDs is fetched; by default <see cref="IMailboxSession.FetchMessagesAsync"/>.
/// Gmail sync passes a fetch of bodies alone, its facts being known already.</param>
/// <param name="sizer">Sizes the batches; pass the mailbox's own to carry what a cut taught into the next connection.</param>
internal sealed class FolderFetchPipeline(
    IMessageStore store,
    SyncOptions options,
    Func<IReadOnlyList<uint>, Func<FetchedMessage, CancellationToken, ValueTask>, CancellationToken, Task>? fetchBatch = null,
    FetchBatchSizer? sizer = null)
{
    private readonly FetchBatchSizer _sizer = sizer ?? new FetchBatchSizer(options.BatchSize, options.BatchBytes);
    private readonly InFlightBytes _inFlight = new(options.PipelineBytes);

    public async Task<(long Messages, long Bytes)> RunAsync(
        FolderPlan plan, IMailboxSession? session, Action<long, long> onStored, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = linked.Token;
        var fetched = Channel.CreateBounded<FetchedMessage>(new BoundedChannelOptions(options.BatchSize)
        {
            SingleWriter = true,
        });
        var parsed = Channel.CreateBounded<IngestedMessage>(new BoundedChannelOptions(options.BatchSize * 2)
        {
            SingleReader = true,
        });

        // A stage that fails cancels the others, so none stays blocked on a full or abandoned channel.
        async Task Guard(Task stage)
        {
            try
            {
                await stage;
            }
            catch
            {
                await linked.CancelAsync();
                throw;
            }
        }

        // Not guarded: a failed fetch lets parsers and store drain what it delivered (FetchAsync completes the channel).
        var fetch = FetchAsync(plan, session, fetched.Writer, token);
        var parsers = Enumerable.Range(0, options.ParseConcurrency)
            .Select(_ => Guard(Task.Run(() => ParseAsync(fetched.Reader, parsed.Writer, token), token)))
            .ToArray();
        var closeParsed = Task.WhenAll(parsers).ContinueWith(
            t => parsed.Writer.TryComplete(t.Exception?.GetBaseException()),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var saving = SaveAsync(plan.Folder.Id, parsed.Reader, onStored, token);
        var save = Guard(saving);

        try
        {
            await Task.WhenAll([fetch, save, closeParsed, .. parsers]);
            return await saving;
        }
        catch when (!cancellationToken.IsCancellationRequested)
        {
            // Report the first real cause, not the cancellations it triggered in the other stages.
            var cause = new[] { fetch, save }.Concat(parsers)
                .Select(t => t.Exception?.GetBaseException())
                .FirstOrDefault(e => e is not null and not OperationCanceledException);
            if (cause is not null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(cause).Throw();
            throw;
        }
    }

    private async Task FetchAsync(
        FolderPlan plan, IMailboxSession? session, ChannelWriter<FetchedMessage> writer, CancellationToken cancellationToken)
    {
        var fetch = fetchBatch ?? (session ?? throw new ArgumentNullException(nameof(session), "Without a fetch of its own the pipeline fetches from a session.")).FetchMessagesAsync;
        long carried = 0; // bytes of whole messages this connection delivered
        async ValueTask Deliver(FetchedMessage message, CancellationToken ct)
        {
            _sizer.Received(message.Raw.Length);
            carried += message.Raw.Length;
            // Held from here until its batch is stored: the queues between the stages are bounded in bytes too.
            await _inFlight.AcquireAsync(message.Raw.Length, ct);
            await writer.WriteAsync(message, ct);
        }

        try
        {
            for (var next = 0; next < plan.ToFetch.Count;)
            {
                var count = _sizer.NextCount(plan.ToFetch.Count - next);
                await fetch(Slice(plan.ToFetch, next, count), Deliver, cancellationToken);
                _sizer.Completed();
                next += count;
            }
        }
        catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.Transient)
        {
            _sizer.Cut(carried);
            throw;
        }
        finally
        {
            // Completed without the error, so that parsers and store finish what arrived; RunAsync reports the error after.
            writer.TryComplete();
        }
    }

    private static uint[] Slice(IReadOnlyList<uint> uids, int start, int count)
    {
        var slice = new uint[count];
        for (var i = 0; i < count; i++)
            slice[i] = uids[start + i];
        return slice;
    }

    private static async Task ParseAsync(
        ChannelReader<FetchedMessage> reader, ChannelWriter<IngestedMessage> writer, CancellationToken cancellationToken)
    {
        await foreach (var message in reader.ReadAllAsync(cancellationToken))
            await writer.WriteAsync(Ingest(message), cancellationToken);
    }

    /// <summary>Never fails: a message that cannot be understood is stored raw with its problem recorded.</summary>
    internal static IngestedMessage Ingest(FetchedMessage message)
    {
        NormalizedMessage normalized;
        try
        {
            normalized = MessageNormalizer.Normalize(message.Raw);
        }
        catch (Exception ex)
        {
            normalized = new NormalizedMessage { Problems = [$"Parser failure: {ex.GetType().Name}: {ex.Message}"] };
        }

        return IngestedMessage.Of(message, normalized);
    }

    private async Task<(long, long)> SaveAsync(
        long folderId, ChannelReader<IngestedMessage> reader, Action<long, long> onStored, CancellationToken cancellationToken)
    {
        long messages = 0, bytes = 0;
        var batch = new List<IngestedMessage>(options.BatchSize);
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (batch.Count < options.BatchSize && reader.TryRead(out var item))
                batch.Add(item);

            // A full batch, or whatever the parsers have ready now: the batch is always empty again before waiting.
            await store.SaveMessagesAsync(folderId, batch, cancellationToken);
            var batchBytes = batch.Sum(m => (long)m.Fetched.Raw.Length);
            messages += batch.Count;
            bytes += batchBytes;
            batch.Clear();
            _inFlight.Release(batchBytes);
            onStored(messages, bytes);
        }
        return (messages, bytes);
    }
}

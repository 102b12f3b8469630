using System.Diagnostics;
using Mailroom.Core.Connectors;
using Mailroom.Core.Identity;
using Mailroom.Core.Messages;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sync.Pop3;

/// <summary>
/// One incremental sync of a POP3 mailbox (RFC 1939), which is a single folder, "INBOX". The UIDL list is compared
/// with the UIDLs stored: UIDLs the server no longer lists lose their membership; new ones are read with TOP first
/// when the mailbox already holds messages, so that a message already stored (the server re-assigned its UIDL) is
/// attached without downloading it; the rest are downloaded with RETR, parsed and stored in batches, each batch a
/// checkpoint. A run that is killed and started again downloads only what is still missing; a run with nothing
/// new downloads nothing. Nothing is ever deleted on the server: the session has no way to send DELE.
/// </summary>
public sealed class Pop3Sync(IPop3Store store, TimeProvider time, SyncOptions options)
{
    /// <summary>The path of the one folder of a POP3 mailbox.</summary>
    public const string FolderPath = "INBOX";

    public async Task<SyncSummary> RunAsync(
        long mailboxId, IPop3Session session, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var folder = await store.OpenPop3FolderAsync(mailboxId, cancellationToken);
        var listing = await session.ListAsync(cancellationToken);

        // UIDLs are unique by RFC 1939 §7; should a server repeat one, its first message stands for both.
        var onServer = new Dictionary<string, Pop3Listing>(StringComparer.Ordinal);
        foreach (var message in listing)
            onServer.TryAdd(message.Uidl, message);

        var gone = folder.RemoteIds.Keys.Where(uidl => !onServer.ContainsKey(uidl)).ToList();
        if (gone.Count > 0)
            await store.RemoveRemoteIdsAsync(folder.FolderId, gone, cancellationToken);

        // New UIDLs get local UIDs ascending in server order (oldest first, as POP3 lists them).
        var uidNext = folder.UidNext;
        var fresh = onServer.Values
            .Where(m => !folder.RemoteIds.ContainsKey(m.Uidl))
            .OrderBy(m => m.Index)
            .Select(m => new NewMessage(m, uidNext++))
            .ToList();

        var toRetrieve = fresh.Count > 0 && folder.MailboxHasMessages && session.SupportsTop
            ? await AttachKnownAsync(folder.FolderId, session, fresh, cancellationToken)
            : fresh;

        var (stored, bytes) = await RetrieveAsync(folder.FolderId, session, toRetrieve, progress, cancellationToken);
        await store.CompletePop3SyncAsync(folder.FolderId, uidNext, onServer.Count, time.GetUtcNow(), cancellationToken);

        return new SyncSummary(1, stored, bytes, 0, gone.Count, 0, Stopwatch.GetElapsedTime(started), []);
    }

    /// <summary>Reads the headers of the new messages (TOP n 0) and attaches those already stored; returns the rest.</summary>
    private async Task<List<NewMessage>> AttachKnownAsync(
        long folderId, IPop3Session session, IReadOnlyList<NewMessage> fresh, CancellationToken cancellationToken)
    {
        var rest = new List<NewMessage>(fresh.Count);
        foreach (var chunk in fresh.Chunk(options.BatchSize))
        {
            var byIndex = chunk.ToDictionary(m => m.Listing.Index);
            var candidates = new List<Pop3KnownMessage>(chunk.Length);
            await session.FetchHeadersAsync([.. byIndex.Keys], (index, headers, _) =>
            {
                if (IdentityFromHeaders(headers) is { } key && byIndex.TryGetValue(index, out var m))
                    candidates.Add(new Pop3KnownMessage(m.Uid, m.Listing.Uidl, key));
                return ValueTask.CompletedTask;
            }, cancellationToken);

            var attached = candidates.Count == 0
                ? []
                : (await store.AttachKnownAsync(folderId, candidates, cancellationToken)).ToHashSet(StringComparer.Ordinal);
            rest.AddRange(chunk.Where(m => !attached.Contains(m.Listing.Uidl)));
        }
        return rest;
    }

    /// <summary>
    /// The identity a message's headers alone decide: only a Message-ID based one (see <see cref="MessageIdentity"/>),
    /// which depends on nothing below the headers, so it equals what parsing the whole message gives. Null otherwise.
    /// </summary>
    internal static string? IdentityFromHeaders(ReadOnlyMemory<byte> headers)
    {
        NormalizedMessage normalized;
        try
        {
            normalized = MessageNormalizer.Normalize(headers);
        }
        catch (Exception)
        {
            return null; // headers that cannot be read decide nothing: the message is downloaded
        }
        if (string.IsNullOrEmpty(normalized.MessageId))
            return null;
        var key = MessageIdentity.Compute(normalized, MessageIdentity.Sha256Hex(headers.Span));
        return key.StartsWith("m:", StringComparison.Ordinal) ? key : null;
    }

    /// <summary>
    /// RETR in batches; each batch is parsed in parallel and stored in one transaction while the next one downloads.
    /// </summary>
    private async Task<(long Messages, long Bytes)> RetrieveAsync(
        long folderId, IPop3Session session, IReadOnlyList<NewMessage> toRetrieve, IProgress<SyncProgress>? progress,
        CancellationToken cancellationToken)
    {
        long messages = 0, bytes = 0;
        var saving = Task.CompletedTask;
        try
        {
            foreach (var chunk in toRetrieve.Chunk(options.BatchSize))
            {
                var byIndex = chunk.ToDictionary(m => m.Listing.Index);
                var fetched = new List<FetchedMessage>(chunk.Length);
                await session.FetchMessagesAsync([.. byIndex.Keys], (index, raw, _) =>
                {
                    var m = byIndex[index];
                    fetched.Add(new FetchedMessage(m.Uid, MessageFlags.None, [], null, raw) { RemoteId = m.Listing.Uidl });
                    return ValueTask.CompletedTask;
                }, cancellationToken);

                var batch = new IngestedMessage[fetched.Count];
                await Parallel.ForAsync(0, fetched.Count,
                    new ParallelOptions { MaxDegreeOfParallelism = options.ParseConcurrency, CancellationToken = cancellationToken },
                    (i, _) =>
                    {
                        batch[i] = FolderFetchPipeline.Ingest(fetched[i]);
                        return ValueTask.CompletedTask;
                    });

                await saving; // at most one batch waits for the store
                saving = SaveAsync(batch);
            }
            await saving;
        }
        catch
        {
            // The batch being stored may still land (a checkpoint); its own failure is secondary to the first one.
            await saving.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
        return (messages, bytes);

        async Task SaveAsync(IngestedMessage[] batch)
        {
            await store.SaveMessagesAsync(folderId, batch, cancellationToken);
            messages += batch.Length;
            bytes += batch.Sum(m => (long)m.Fetched.Raw.Length);
            progress?.Report(new SyncProgress(FolderPath, 1, 1, messages, toRetrieve.Count, bytes));
        }
    }

    private sealed record NewMessage(Pop3Listing Listing, uint Uid);
}

using System.Diagnostics;
using Mailroom.Core.Connectors;
using Mailroom.Core.Identity;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;

namespace Mailroom.Core.Import;

/// <summary>
/// Imports a local archive into an archive mailbox through the same ingest as sync: each message is normalized, given
/// its identity and written by <see cref="IMessageStore.SaveMessagesAsync"/> (raw MIME, message, addresses, contact
/// links) in batches. A message already in its folder (same bytes) is skipped, so importing again changes nothing.
/// </summary>
public sealed class ArchiveImport(IMessageStore store, IArchiveStore archive, SyncOptions options)
{
    public async Task<ImportSummary> RunAsync(
        long mailboxId, IEnumerable<ArchiveItem> items, IProgress<(long Read, long Stored)>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var folders = new Dictionary<string, (Pop3FolderState State, HashSet<string> Seen, uint Next)>(StringComparer.Ordinal);
        var batch = new List<IngestedMessage>(options.BatchSize);
        long read = 0, stored = 0, present = 0;
        long? batchFolder = null;

        async Task FlushAsync()
        {
            if (batch.Count > 0)
                await store.SaveMessagesAsync(batchFolder!.Value, batch, cancellationToken);
            stored += batch.Count;
            batch.Clear();
            progress?.Report((read, stored));
        }

        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            read++;
            if (!folders.TryGetValue(item.Folder, out var folder))
            {
                var state = await archive.OpenArchiveFolderAsync(mailboxId, item.Folder, cancellationToken);
                folder = (state, new HashSet<string>(state.RemoteIds.Keys, StringComparer.Ordinal), state.UidNext);
            }

            if (batchFolder != folder.State.FolderId || batch.Count >= options.BatchSize)
            {
                await FlushAsync();
                batchFolder = folder.State.FolderId;
            }

            var sha = MessageIdentity.Sha256Hex(item.Raw.Span);
            if (!folder.Seen.Add(sha))
            {
                present++;
                folders[item.Folder] = folder;
                continue;
            }

            var fetched = new FetchedMessage(folder.Next, item.Flags, [], item.ReceivedAt, item.Raw) { RemoteId = sha };
            folders[item.Folder] = folder with { Next = folder.Next + 1 };
            batch.Add(FolderFetchPipeline.Ingest(fetched));
        }

        await FlushAsync();
        return new ImportSummary(read, stored, present, [.. folders.Keys.Order(StringComparer.Ordinal)], Stopwatch.GetElapsedTime(started));
    }
}

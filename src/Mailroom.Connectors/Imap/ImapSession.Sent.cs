using Mailroom.Core.Connectors;
using Mailroom.Core.Messages;
using Mailroom.Core.Sending;
using Mailroom.Core.Sync;
using MailKit;
using MailKit.Search;
using MimeKit;

namespace Mailroom.Connectors.Imap;

/// <summary>Filing sent mail: find Sent, look for Message-IDs there, append copies with \Seen.</summary>
internal sealed partial class ImapSession : ISentFolderSession
{
    // Message-IDs per SEARCH: an OR tree of this many HEADER keys stays a short command line.
    private const int SearchChunk = 50;

    public async Task<string?> FindSentFolderAsync(CancellationToken cancellationToken)
    {
        var folders = await ListFoldersAsync(cancellationToken);
        var sent = folders.FirstOrDefault(f => f.Role == FolderRole.Sent && f.CanSelect)
            ?? folders.FirstOrDefault(f => f.CanSelect && FolderRoleNames.Guess(f.Path, f.Delimiter) == FolderRole.Sent);
        return sent?.Path;
    }

    public Task<IReadOnlySet<string>> FindMessageIdsAsync(string folder, IReadOnlyCollection<string> messageIds, DateTimeOffset since, CancellationToken cancellationToken) =>
        ClassifiedAsync<IReadOnlySet<string>>($"UID SEARCH HEADER Message-ID in {folder}", async () =>
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            if (messageIds.Count == 0)
                return found;
            var wanted = messageIds.ToHashSet(StringComparer.Ordinal);
            // SINCE has day resolution in the server's time zone (RFC 3501 §6.4.4): a day earlier covers any zone.
            var sinceDay = SearchQuery.DeliveredAfter(since.UtcDateTime.Date.AddDays(-1));
            var mailFolder = await client.GetFolderAsync(folder, cancellationToken);
            if (!mailFolder.IsOpen)
                await mailFolder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
            foreach (var chunk in wanted.Chunk(SearchChunk))
            {
                // Substring match on the header (RFC 3501 SEARCH HEADER), then an exact check of what the server holds.
                var uids = await mailFolder.SearchAsync(sinceDay.And(AnyOf(chunk)), cancellationToken);
                if (uids.Count == 0)
                    continue;
                var summaries = await mailFolder.FetchAsync(uids, new FetchRequest(MessageSummaryItems.UniqueId, [HeaderId.MessageId]), cancellationToken);
                foreach (var summary in summaries)
                {
                    if (summary.Headers?.FirstOrDefault(h => h.Id == HeaderId.MessageId) is { } header
                        && MessageIds.ParseMessageId(header.RawValue) is { } id && wanted.Contains(id))
                        found.Add(id);
                }
            }
            return found;
        }, cancellationToken);

    public Task AppendSeenAsync(string folder, IReadOnlyList<SentCopy> copies, CancellationToken cancellationToken) =>
        ClassifiedAsync($"APPEND to {folder}", async () =>
        {
            if (copies.Count == 0)
                return true;
            var mailFolder = await client.GetFolderAsync(folder, cancellationToken);
            var requests = new List<IAppendRequest>(copies.Count);
            try
            {
                foreach (var copy in copies)
                {
                    using var stream = new MemoryStream(copy.Raw, writable: false);
                    var message = MimeMessage.Load(stream, cancellationToken);
                    requests.Add(new AppendRequest(message, MailKit.MessageFlags.Seen) { InternalDate = copy.InternalDate });
                }
                // Written back with the composer's options: an unmodified parsed message is the same bytes that were sent.
                // MailKit sends one MULTIAPPEND when the server offers it, else one APPEND per message.
                await mailFolder.AppendAsync(MessageComposer.WriteOptions(international: false), requests, cancellationToken);
            }
            finally
            {
                foreach (var request in requests)
                    request.Message.Dispose();
            }
            return true;
        }, cancellationToken);

    /// <summary>HEADER Message-ID for each id, joined into a balanced OR tree (MailKit nests OR two keys at a time).</summary>
    private static SearchQuery AnyOf(ReadOnlySpan<string> messageIds) => messageIds.Length == 1
        ? SearchQuery.HeaderContains("Message-ID", messageIds[0])
        : SearchQuery.Or(AnyOf(messageIds[..(messageIds.Length / 2)]), AnyOf(messageIds[(messageIds.Length / 2)..]));
}

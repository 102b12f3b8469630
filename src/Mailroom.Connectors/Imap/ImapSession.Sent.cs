using Mailroom.Core.Connectors;
using Mailroom.Core.Messages;
using Mailroom.Core.Sending;
using Mailroom.Core.Sync;
using MailKit;
using MailKit.Search;
using MimeKit;

namespace Mailroom.Connectors.Imap;

/// <summary>Filing sent mail: find Sent, look for a Message-ID there, append with \Seen.</summary>
internal sealed partial class ImapSession : ISentFolderSession
{
    public async Task<string?> FindSentFolderAsync(CancellationToken cancellationToken)
    {
        var folders = await ListFoldersAsync(cancellationToken);
        var sent = folders.FirstOrDefault(f => f.Role == FolderRole.Sent && f.CanSelect)
            ?? folders.FirstOrDefault(f => f.CanSelect && FolderRoleNames.Guess(f.Path, f.Delimiter) == FolderRole.Sent);
        return sent?.Path;
    }

    public Task<bool> ContainsAsync(string folder, string messageId, CancellationToken cancellationToken) =>
        ClassifiedAsync($"UID SEARCH HEADER Message-ID in {folder}", async () =>
        {
            var mailFolder = await client.GetFolderAsync(folder, cancellationToken);
            if (!mailFolder.IsOpen)
                await mailFolder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
            // Substring match on the header (RFC 3501 SEARCH HEADER), then an exact check of what the server holds.
            var uids = await mailFolder.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId), cancellationToken);
            if (uids.Count == 0)
                return false;
            var summaries = await mailFolder.FetchAsync(uids, new FetchRequest(MessageSummaryItems.UniqueId, [HeaderId.MessageId]), cancellationToken);
            return summaries.Any(s => s.Headers?.FirstOrDefault(h => h.Id == HeaderId.MessageId) is { } h
                && MessageIds.ParseMessageId(h.RawValue) == messageId);
        }, cancellationToken);

    public Task AppendSeenAsync(string folder, byte[] raw, DateTimeOffset internalDate, CancellationToken cancellationToken) =>
        ClassifiedAsync($"APPEND to {folder}", async () =>
        {
            var mailFolder = await client.GetFolderAsync(folder, cancellationToken);
            using var stream = new MemoryStream(raw, writable: false);
            using var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            // Written back with the composer's options: an unmodified parsed message is the same bytes that were sent.
            var request = new AppendRequest(message, MailKit.MessageFlags.Seen) { InternalDate = internalDate };
            await mailFolder.AppendAsync(MessageComposer.WriteOptions(international: false), request, cancellationToken);
            return true;
        }, cancellationToken);
}

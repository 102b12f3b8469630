using Mailroom.Core.Connectors;
using Mailroom.Core.Messages;
using Mailroom.Core.Sync;
using MailKit;
using MailKit.Net.Imap;
using CoreFlags = Mailroom.Core.Connectors.MessageFlags;
using KitFlags = MailKit.MessageFlags;

namespace Mailroom.Connectors.Imap;

/// <summary>One authenticated IMAP connection. Owns its <see cref="ImapClient"/>; one caller at a time.</summary>
/// <param name="quickResync">Whether QRESYNC was enabled on this connection (before any SELECT).</param>
internal sealed partial class ImapSession(ImapClient client, ImapConnectorOptions options, bool quickResync) : IMailboxSession
{
    private static readonly FetchRequest StateRequest = new(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags);
    private static readonly FetchRequest FactsRequest =
        new(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate);
    private static readonly FetchRequest SummaryRequest =
        new(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate | MessageSummaryItems.Size,
            [MimeKit.HeaderId.MessageId]);

    private IMailFolder? _open;
    private FolderStatus? _openedAs;

    public IReadOnlySet<string> Capabilities { get; } = CapabilityNames(client.Capabilities);

    public SessionCounters Counters { get; } = new();

    public ChangeTracking ChangeTracking { get; } =
        quickResync ? ChangeTracking.QResync
        : client.Capabilities.HasFlag(ImapCapabilities.CondStore) ? ChangeTracking.CondStore
        : ChangeTracking.None;

    public Task<IReadOnlyList<RemoteFolder>> ListFoldersAsync(CancellationToken cancellationToken) =>
        ClassifiedAsync<IReadOnlyList<RemoteFolder>>("LIST", async () =>
        {
            var listed = new List<IMailFolder>();
            foreach (var ns in client.PersonalNamespaces)
                listed.AddRange(await client.GetFoldersAsync(ns, StatusItems.None, subscribedOnly: false, cancellationToken));

            var result = listed.Select(ToRemote).ToList();
            if (!result.Any(f => f.Role == FolderRole.Inbox))
            {
                result.Insert(0, ToRemote(client.Inbox));
                listed.Insert(0, client.Inbox);
            }
            Watch(listed);
            return result;
        }, cancellationToken);

    public Task<FolderStatus> OpenFolderAsync(string path, CancellationToken cancellationToken) =>
        ClassifiedAsync($"SELECT {path}", async () =>
        {
            var folder = string.Equals(path, "INBOX", StringComparison.OrdinalIgnoreCase)
                ? client.Inbox
                : await client.GetFolderAsync(path, cancellationToken);
            if (_open is { IsOpen: true } previous)
                NoteChangesWhileBusy(previous);
            Watch([folder]);
            await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
            _open = folder;
            _openedAs = StatusOf(folder);
            Settle(folder.FullName);
            return _openedAs;
        }, cancellationToken);

    public Task<IReadOnlyList<RemoteMessageState>> FetchStatesAsync(CancellationToken cancellationToken)
    {
        Counters.AddFolderListing();
        return FetchStatesAsync(StateRequest, "UID FETCH (FLAGS)", cancellationToken);
    }

    public async Task<FolderChanges> FetchChangesAsync(ulong changedSince, CancellationToken cancellationToken)
    {
        var folder = OpenFolder();
        if (!quickResync)
        {
            return new FolderChanges(await FetchStatesAsync(
                new FetchRequest(StateRequest.Items) { ChangedSince = changedSince },
                $"UID FETCH (FLAGS) (CHANGEDSINCE {changedSince})", cancellationToken), null);
        }

        // With QRESYNC enabled MailKit adds VANISHED to the modifiers and reports the VANISHED (EARLIER) response
        // (RFC 7162 §3.2.6) through the folder's event, which is only recorded here.
        var vanished = new List<uint>();
        void Record(object? sender, MessagesVanishedEventArgs e) => vanished.AddRange(e.UniqueIds.Select(u => u.Id));
        folder.MessagesVanished += Record;
        try
        {
            var changed = await ClassifiedAsync<IReadOnlyList<RemoteMessageState>>(
                $"UID FETCH (FLAGS) (CHANGEDSINCE {changedSince} VANISHED) in {folder.FullName}", async () =>
                {
                    var request = new FetchRequest(StateRequest.Items) { ChangedSince = changedSince };
                    var summaries = await folder.FetchAsync(UniqueIdRange.All, request, cancellationToken);
                    return [.. summaries.Select(s => new RemoteMessageState(s.UniqueId.Id, ToFlags(s.Flags), Keywords(s)))];
                }, cancellationToken);
            return new FolderChanges(changed, vanished);
        }
        finally
        {
            folder.MessagesVanished -= Record;
        }
    }

    public Task<IReadOnlyList<RemoteMessageSummary>> FetchSummariesAsync(IReadOnlyList<uint> uids, CancellationToken cancellationToken)
    {
        var folder = OpenFolder();
        if (uids.Count == 0)
            return Task.FromResult<IReadOnlyList<RemoteMessageSummary>>([]);
        return ClassifiedAsync<IReadOnlyList<RemoteMessageSummary>>($"UID FETCH (RFC822.SIZE MESSAGE-ID) in {folder.FullName}", async () =>
        {
            // Only the Message-ID header: BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)], a few dozen octets per message.
            var summaries = await folder.FetchAsync(UidSet(folder, uids), SummaryRequest, cancellationToken);
            return [.. summaries.Select(s => new RemoteMessageSummary(
                s.UniqueId.Id, ToFlags(s.Flags), Keywords(s), s.InternalDate, (long)(s.Size ?? 0),
                s.Headers?.FirstOrDefault(h => h.Id == MimeKit.HeaderId.MessageId) is { } header
                    ? MessageIds.ParseMessageId(header.RawValue)
                    : null))];
        }, cancellationToken);
    }

    public Task<IReadOnlyList<uint>> SearchUidsAsync(CancellationToken cancellationToken)
    {
        Counters.AddFolderListing();
        return SearchAsync(MailKit.Search.SearchQuery.All, "UID SEARCH ALL", cancellationToken);
    }

    // SINCE compares INTERNALDATE by day, ignoring the time (RFC 3501 §6.4.4).
    public Task<IReadOnlyList<uint>> SearchUidsSinceAsync(DateOnly since, CancellationToken cancellationToken) =>
        SearchAsync(MailKit.Search.SearchQuery.DeliveredAfter(since.ToDateTime(TimeOnly.MinValue)), "UID SEARCH SINCE", cancellationToken);

    public async Task FetchMessagesAsync(
        IReadOnlyList<uint> uids,
        Func<FetchedMessage, CancellationToken, ValueTask> onMessage,
        CancellationToken cancellationToken)
    {
        if (uids.Count == 0)
            return;
        var folder = (ImapFolder)OpenFolder();
        var set = UidSet(folder, uids);
        await ClassifiedAsync($"UID FETCH BODY.PEEK[] in {folder.FullName}", async () =>
        {
            // Flags and INTERNALDATE first (small), then the bodies in one batched UID FETCH BODY.PEEK[].
            var facts = (await folder.FetchAsync(set, FactsRequest, cancellationToken))
                .ToDictionary(s => s.UniqueId.Id);

            await folder.GetStreamsAsync(set, async (_, _, uid, stream, ct) =>
            {
                var raw = new byte[stream.Length];
                await stream.ReadExactlyAsync(raw, ct);
                Counters.AddBody(raw.Length);
                facts.TryGetValue(uid.Id, out var summary);
                var message = new FetchedMessage(
                    uid.Id,
                    summary is null ? CoreFlags.None : ToFlags(summary.Flags),
                    summary is null ? [] : Keywords(summary),
                    summary?.InternalDate,
                    raw);
                await onMessage(message, ct);
            }, cancellationToken);
            return true;
        }, cancellationToken);
    }

    public ValueTask DisposeAsync() => MailServices.CloseAsync(client);

    private Task<IReadOnlyList<RemoteMessageState>> FetchStatesAsync(FetchRequest request, string command, CancellationToken cancellationToken)
    {
        var folder = OpenFolder();
        if (folder.Count == 0)
            return Task.FromResult<IReadOnlyList<RemoteMessageState>>([]);
        return ClassifiedAsync<IReadOnlyList<RemoteMessageState>>($"{command} in {folder.FullName}", async () =>
        {
            var summaries = await folder.FetchAsync(UniqueIdRange.All, request, cancellationToken);
            return [.. summaries.Select(s => new RemoteMessageState(s.UniqueId.Id, ToFlags(s.Flags), Keywords(s)))];
        }, cancellationToken);
    }

    private Task<IReadOnlyList<uint>> SearchAsync(MailKit.Search.SearchQuery query, string command, CancellationToken cancellationToken)
    {
        var folder = OpenFolder();
        if (folder.Count == 0)
            return Task.FromResult<IReadOnlyList<uint>>([]);
        return ClassifiedAsync<IReadOnlyList<uint>>($"{command} in {folder.FullName}", async () =>
            [.. (await folder.SearchAsync(query, cancellationToken)).Select(u => u.Id)], cancellationToken);
    }

    /// <summary>Runs one protocol exchange and classifies its failure once; the caller's own cancellation passes through.</summary>
    private static async Task<T> ClassifiedAsync<T>(string during, Func<Task<T>> exchange, CancellationToken cancellationToken)
    {
        try
        {
            return await exchange();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw ImapErrors.Classify(ex, during);
        }
    }

    private static UniqueIdSet UidSet(IMailFolder folder, IReadOnlyList<uint> uids)
    {
        var set = new UniqueIdSet(folder.UidValidity, MailKit.Search.SortOrder.None);
        foreach (var uid in uids)
            set.Add(new UniqueId(folder.UidValidity, uid));
        return set;
    }

    private static FolderStatus StatusOf(IMailFolder folder) =>
        new(folder.UidValidity, folder.UidNext?.Id, folder.HighestModSeq == 0 ? null : folder.HighestModSeq, folder.Count);

    private IMailFolder OpenFolder() =>
        _open is { IsOpen: true } folder ? folder : throw new InvalidOperationException("No folder is open.");

    private static RemoteFolder ToRemote(IMailFolder folder)
    {
        var a = folder.Attributes;
        var role =
            string.Equals(folder.FullName, "INBOX", StringComparison.OrdinalIgnoreCase) || (a & FolderAttributes.Inbox) != 0 ? FolderRole.Inbox
            : (a & FolderAttributes.Sent) != 0 ? FolderRole.Sent
            : (a & FolderAttributes.Drafts) != 0 ? FolderRole.Drafts
            : (a & FolderAttributes.Trash) != 0 ? FolderRole.Trash
            : (a & FolderAttributes.Junk) != 0 ? FolderRole.Junk
            : (a & FolderAttributes.Archive) != 0 ? FolderRole.Archive
            : (a & FolderAttributes.All) != 0 ? FolderRole.All
            : (a & FolderAttributes.Flagged) != 0 ? FolderRole.Flagged
            : FolderRole.None;
        var canSelect = (a & (FolderAttributes.NoSelect | FolderAttributes.NonExistent)) == 0;
        char? delimiter = folder.DirectorySeparator == '\0' ? null : folder.DirectorySeparator;
        return new RemoteFolder(folder.FullName, delimiter, role, canSelect);
    }

    private static CoreFlags ToFlags(KitFlags? flags)
    {
        var f = flags ?? KitFlags.None;
        var result = CoreFlags.None;
        if ((f & KitFlags.Seen) != 0) result |= CoreFlags.Seen;
        if ((f & KitFlags.Answered) != 0) result |= CoreFlags.Answered;
        if ((f & KitFlags.Flagged) != 0) result |= CoreFlags.Flagged;
        if ((f & KitFlags.Deleted) != 0) result |= CoreFlags.Deleted;
        if ((f & KitFlags.Draft) != 0) result |= CoreFlags.Draft;
        return result;
    }

    private static string[] Keywords(IMessageSummary summary) =>
        summary.Keywords is { Count: > 0 } k ? [.. k.Order(StringComparer.Ordinal)] : [];

    private static HashSet<string> CapabilityNames(ImapCapabilities capabilities) =>
        [.. Enum.GetValues<ImapCapabilities>()
            .Where(c => c != ImapCapabilities.None && capabilities.HasFlag(c))
            .Select(CapabilityName)];
}

using Mailroom.Core.Connectors;
using MailKit;
using MailKit.Net.Imap;

namespace Mailroom.Connectors.Imap;

/// <summary>Gmail's X-GM-EXT-1: message ids, conversation ids and labels through MailKit's GMail fetch items.</summary>
internal sealed partial class ImapSession : IGmailSession
{
    /// <summary>The capability as Gmail announces it (MailKit's <see cref="ImapCapabilities.GMailExt1"/>).</summary>
    internal const string GmailCapability = "X-GM-EXT-1";

    private static readonly FetchRequest GmailStateRequest = new(
        MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate |
        MessageSummaryItems.GMailMessageId | MessageSummaryItems.GMailThreadId | MessageSummaryItems.GMailLabels);

    public bool HasGmailExtensions => client.Capabilities.HasFlag(ImapCapabilities.GMailExt1);

    public Task<IReadOnlyList<GmailMessageState>> FetchGmailStatesAsync(ulong? changedSince, CancellationToken cancellationToken)
    {
        var folder = OpenFolder();
        if (folder.Count == 0)
            return Task.FromResult<IReadOnlyList<GmailMessageState>>([]);
        var request = changedSince is { } modSeq
            ? new FetchRequest(GmailStateRequest.Items) { ChangedSince = modSeq }
            : GmailStateRequest;
        var command = changedSince is { } m ? $"UID FETCH (X-GM-LABELS) (CHANGEDSINCE {m})" : "UID FETCH (X-GM-LABELS)";
        return ClassifiedAsync<IReadOnlyList<GmailMessageState>>($"{command} in {folder.FullName}", async () =>
        {
            var summaries = await folder.FetchAsync(UniqueIdRange.All, request, cancellationToken);
            return [.. summaries.Where(s => s.UniqueId.IsValid).Select(ToGmailState)];
        }, cancellationToken);
    }

    public async Task FetchGmailMessagesAsync(
        IReadOnlyList<GmailMessageState> messages,
        Func<FetchedMessage, CancellationToken, ValueTask> onMessage,
        CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
            return;
        var folder = (ImapFolder)OpenFolder();
        var facts = new Dictionary<uint, GmailMessageState>(messages.Count);
        var set = new UniqueIdSet(folder.UidValidity, MailKit.Search.SortOrder.None);
        foreach (var message in messages)
        {
            if (facts.TryAdd(message.Uid, message))
                set.Add(new UniqueId(folder.UidValidity, message.Uid));
        }

        // Flags, INTERNALDATE and the Gmail ids came with the state fetch: one command for the bodies alone.
        await ClassifiedAsync($"UID FETCH BODY.PEEK[] in {folder.FullName}", async () =>
        {
            await folder.GetStreamsAsync(set, async (_, _, uid, stream, ct) =>
            {
                var raw = new byte[stream.Length];
                await stream.ReadExactlyAsync(raw, ct);
                Counters.AddBody(raw.Length);
                if (!facts.TryGetValue(uid.Id, out var known))
                    return;
                await onMessage(new FetchedMessage(uid.Id, known.Flags, known.Keywords, known.InternalDate, raw)
                {
                    ProviderId = known.ProviderId,
                    ProviderThreadId = known.ProviderThreadId,
                }, ct);
            }, cancellationToken);
            return true;
        }, cancellationToken);
    }

    private static GmailMessageState ToGmailState(IMessageSummary summary) => new(
        summary.UniqueId.Id,
        ToFlags(summary.Flags),
        Keywords(summary),
        summary.InternalDate,
        summary.GMailMessageId,
        summary.GMailThreadId,
        (summary.Fields & MessageSummaryItems.GMailLabels) != 0 && summary.GMailLabels is { } labels ? [.. labels] : null);

    /// <summary>Capability names as the server spells them where the enum name differs ("X-GM-EXT-1", not "GMAILEXT1").</summary>
    private static string CapabilityName(ImapCapabilities capability) =>
        capability == ImapCapabilities.GMailExt1 ? GmailCapability : capability.ToString().ToUpperInvariant();
}

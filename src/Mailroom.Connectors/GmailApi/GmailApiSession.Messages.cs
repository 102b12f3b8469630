using System.Globalization;
using System.Net;
using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.GmailApi;

internal sealed partial class GmailApiSession
{
    // Quota units per method (Google's "Usage limits" table for the Gmail API).
    private const int ProfileUnits = 1, LabelsUnits = 1, ListUnits = 5, GetUnits = 5, HistoryUnits = 2;

    private const int PageSize = 500;

    public async Task<GmailApiProfile> GetProfileAsync(CancellationToken cancellationToken)
    {
        var profile = await GetJsonAsync("gmail/v1/users/me/profile", ProfileUnits, GmailJson.Default.GmailProfileJson, "users.getProfile", cancellationToken);
        return new GmailApiProfile(profile.EmailAddress ?? "", profile.HistoryId, profile.MessagesTotal);
    }

    public async Task<IReadOnlyList<GmailApiLabel>> ListLabelsAsync(CancellationToken cancellationToken)
    {
        var list = await GetJsonAsync("gmail/v1/users/me/labels", LabelsUnits, GmailJson.Default.GmailLabelListJson, "users.labels.list", cancellationToken);
        return [.. (list.Labels ?? []).Select(l => new GmailApiLabel(l.Id, l.Name ?? l.Id, string.Equals(l.Type, "system", StringComparison.Ordinal)))];
    }

    public async Task<GmailApiIdPage> ListMessagesAsync(string? labelId, string? pageToken, CancellationToken cancellationToken)
    {
        var query = $"gmail/v1/users/me/messages?maxResults={PageSize}"
            + (labelId is null ? "" : "&labelIds=" + Uri.EscapeDataString(labelId))
            + (pageToken is null ? "" : "&pageToken=" + Uri.EscapeDataString(pageToken));
        var page = await GetJsonAsync(query, ListUnits, GmailJson.Default.GmailMessageListJson, "users.messages.list", cancellationToken);
        Counters.AddFolderListing();
        return new GmailApiIdPage([.. (page.Messages ?? []).Where(m => m.Id is not null).Select(m => m.Id!)], page.NextPageToken);
    }

    public async Task<GmailHistoryPage?> ListHistoryAsync(ulong startHistoryId, string? pageToken, CancellationToken cancellationToken)
    {
        var query = $"gmail/v1/users/me/history?startHistoryId={startHistoryId.ToString(CultureInfo.InvariantCulture)}&maxResults={PageSize}"
            + "&historyTypes=messageAdded&historyTypes=messageDeleted&historyTypes=labelAdded&historyTypes=labelRemoved"
            + (pageToken is null ? "" : "&pageToken=" + Uri.EscapeDataString(pageToken));
        const string What = "users.history.list";
        var (status, body, _) = await SendRequestAsync(() => new HttpRequestMessage(HttpMethod.Get, Url(query)), HistoryUnits, What, cancellationToken);
        if (status == HttpStatusCode.NotFound)
            return null; // the start id is older than the history Gmail keeps
        GmailApiErrors.ThrowUnlessOk(status, body, What);
        var page = Parse(body, GmailJson.Default.GmailHistoryListJson, What);

        var changes = new List<GmailMessageChange>();
        foreach (var record in page.History ?? [])
        {
            foreach (var added in record.MessagesAdded ?? [])
                Add(added.Message, false);
            foreach (var labelled in (record.LabelsAdded ?? []).Concat(record.LabelsRemoved ?? []))
                Add(labelled.Message, false);
            foreach (var deleted in record.MessagesDeleted ?? [])
                Add(deleted.Message, true);
        }
        return new GmailHistoryPage(page.HistoryId, changes, page.NextPageToken);

        void Add(GmailMessageJson? message, bool deleted)
        {
            if (message?.Id is { } id)
                changes.Add(new GmailMessageChange(id, deleted ? null : message.LabelIds ?? [], deleted));
        }
    }

    public async Task FetchRawAsync(
        IReadOnlyList<string> ids, Func<GmailApiMessage, CancellationToken, ValueTask> onMessage, CancellationToken cancellationToken)
    {
        // Several batches in flight: each answer is built whole by Google before it is sent, so one at a time would leave
        // the link idle while Google works. Messages are handed on one at a time (the caller's writer is single).
        using var handOver = new SemaphoreSlim(1, 1);
        var chunks = ids.Chunk(options.BatchSize).Select(c => c.ToList()).ToList();
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                var messages = chunk.Count == 1
                    ? (await GetRawAsync(chunk[0], ct) is { } one ? [one] : [])
                    : await BatchGetRawAsync(chunk, ct);
                await handOver.WaitAsync(ct);
                try
                {
                    foreach (var message in messages)
                        await onMessage(message, ct);
                }
                finally
                {
                    handOver.Release();
                }
            });
    }

    private async Task<GmailApiMessage?> GetRawAsync(string id, CancellationToken cancellationToken)
    {
        const string What = "users.messages.get";
        var (status, body, _) = await SendRequestAsync(
            () => new HttpRequestMessage(HttpMethod.Get, Url(RawPath(id))), GetUnits, What, cancellationToken);
        if (status == HttpStatusCode.NotFound)
            return null;
        GmailApiErrors.ThrowUnlessOk(status, body, What);
        return ToMessage(Parse(body, GmailJson.Default.GmailMessageJson, What));
    }

    private static string RawPath(string id) => $"gmail/v1/users/me/messages/{Uri.EscapeDataString(id)}?format=raw";

    private GmailApiMessage? ToMessage(GmailMessageJson json)
    {
        if (json.Id is null || json.Raw is not { } raw)
            return null;
        Counters.AddBody(raw.Length);
        var date = json.InternalDate is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null;
        return new GmailApiMessage(json.Id, json.ThreadId, json.LabelIds ?? [], date, raw);
    }
}

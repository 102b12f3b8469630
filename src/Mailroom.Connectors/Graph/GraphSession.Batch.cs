using System.Net;
using System.Text.Json;
using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.Graph;

internal sealed partial class GraphSession
{
    /// <summary>Graph's JSON batching takes at most 20 requests.</summary>
    public const int MaxBatch = 20;

    private readonly SemaphoreSlim _batches = new(1, 1);

    public async Task<IReadOnlyList<byte[]?>> GetMimeBatchAsync(IReadOnlyList<string> messageIds, CancellationToken cancellationToken)
    {
        var answers = await BatchAsync([.. messageIds.Select(id => $"/{userPath}/messages/{Uri.EscapeDataString(id)}/$value")], "$batch messages/$value", cancellationToken);
        var bodies = new byte[]?[answers.Count];
        for (var i = 0; i < answers.Count; i++)
        {
            var (status, body) = answers[i];
            if (status == HttpStatusCode.NotFound)
                continue; // deleted since it was listed: the next delta says so
            if ((int)status is < 200 or >= 300 || body.ValueKind != JsonValueKind.String || !TryBase64(body.GetString()!, out var mime))
                throw new ConnectorException(ConnectorErrorKind.Transient, $"Microsoft Graph $batch messages/$value: {(int)status} for one message.");
            Counters.AddBody(mime.Length);
            bodies[i] = mime;
        }
        return bodies;
    }

    /// <summary>
    /// GETs of these URLs (relative to the version, e.g. <c>/me/mailFolders/inbox</c>) in one $batch request: each
    /// answer's status and body (JSON, or base64 text for other content). Requests Graph answered with 429, 503 or 504
    /// inside the batch are sent again in the next one, after the longest Retry-After asked; a whole batch refused so
    /// is retried by the request loop. One batch of a session at a time: Exchange runs its requests up to 4 at once,
    /// the mailbox's limit.
    /// </summary>
    private async Task<IReadOnlyList<(HttpStatusCode Status, JsonElement Body)>> BatchAsync(IReadOnlyList<string> urls, string what, CancellationToken cancellationToken)
    {
        if (urls.Count is 0 or > MaxBatch)
            throw new ArgumentOutOfRangeException(nameof(urls), urls.Count, $"A $batch takes 1 to {MaxBatch} requests.");
        var results = new (HttpStatusCode, JsonElement)[urls.Count];
        var pending = Enumerable.Range(0, urls.Count).ToList();
        await _batches.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var request = new GraphBatchRequestJson([.. pending.Select(i => new GraphBatchItemRequestJson(
                    i.ToString(System.Globalization.CultureInfo.InvariantCulture), "GET", urls[i], ImmutableIds))]);
                var json = JsonSerializer.SerializeToUtf8Bytes(request, GraphJson.Default.GraphBatchRequestJson);
                var (status, body) = await SendAsync(() => JsonRequest(HttpMethod.Post, new Uri(_base + "$batch"), json), what, cancellationToken);
                GraphErrors.ThrowUnlessOk(status, body, what);
                var answer = Parse(body, GraphJson.Default.GraphBatchResponseJson, what);
                TimeSpan? wait = null;
                var again = new List<int>();
                foreach (var item in answer.Responses ?? [])
                {
                    if (!int.TryParse(item.Id, System.Globalization.CultureInfo.InvariantCulture, out var index) || !pending.Contains(index))
                        continue;
                    var itemStatus = (HttpStatusCode)item.Status;
                    if (GraphErrors.IsRetryable(itemStatus))
                    {
                        again.Add(index);
                        if (item.Headers?.GetValueOrDefault("Retry-After") is { } text && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
                            wait = TimeSpan.FromSeconds(Math.Max(seconds, wait?.TotalSeconds ?? 0));
                        continue;
                    }
                    results[index] = (itemStatus, item.Body?.Clone() ?? default);
                }
                var missing = pending.Where(i => !again.Contains(i) && results[i].Item1 == 0).ToList();
                if (missing.Count > 0)
                    throw new ConnectorException(ConnectorErrorKind.Transient, $"Microsoft Graph {what}: the batch answer lacks {missing.Count} of its requests.");
                if (again.Count == 0)
                    return results;
                if (attempt >= options.MaxRetries)
                    throw new ConnectorException(ConnectorErrorKind.Transient, $"Microsoft Graph {what}: {again.Count} requests still throttled after {attempt + 1} batches.");
                pending = again;
                await WaitToRetryAsync(attempt, wait is { } w && w > options.RetryCap ? options.RetryCap : wait, what, $"{again.Count} throttled in the batch", cancellationToken);
            }
        }
        finally
        {
            _batches.Release();
        }
    }

    private static readonly Dictionary<string, string> ImmutableIds = new() { ["Prefer"] = "IdType=\"ImmutableId\"" };

    private static bool TryBase64(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}

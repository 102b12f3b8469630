using System.Globalization;
using System.Net;
using System.Text;
using Mailroom.Core.Connectors;
using Mailroom.Core.Sending;

namespace Mailroom.Connectors.Graph;

internal sealed partial class GraphSession
{
    public async Task<IReadOnlyList<GraphFolder>> ListFoldersAsync(CancellationToken cancellationToken)
    {
        // mailFolders/delta gives the whole tree flat (child folders included), paged, in fewer requests than a walk.
        var folders = new List<GraphFolder>();
        var url = Url("mailFolders/delta?$select=displayName,parentFolderId,totalItemCount");
        while (true)
        {
            var page = await GetJsonAsync(url, GraphJson.Default.GraphFolderPageJson, "mailFolders/delta", cancellationToken);
            foreach (var f in page.Value ?? [])
            {
                if (f.Id is not null && f.Removed is null)
                    folders.Add(new GraphFolder(f.Id, f.DisplayName ?? "", f.ParentFolderId, f.TotalItemCount ?? 0));
            }
            if (page.NextLink is null)
                return folders;
            url = Link(page.NextLink, "mailFolders/delta");
        }
    }

    public async Task<IReadOnlyDictionary<string, string>> GetWellKnownFolderIdsAsync(CancellationToken cancellationToken)
    {
        // Well-known folders keep their ids: asked once per session, all in one $batch.
        if (_wellKnown is { } known)
            return known;
        var names = GraphWellKnownFolders.All;
        var answers = await BatchAsync([.. names.Select(n => $"/{userPath}/mailFolders/{n}?$select=displayName")], "$batch mailFolders/{name}", cancellationToken);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            var (status, body) = answers[i];
            if (status == HttpStatusCode.NotFound)
                continue; // a mailbox without an archive folder, say
            if ((int)status is < 200 or >= 300)
                throw new ConnectorException(status == HttpStatusCode.Forbidden ? ConnectorErrorKind.Misconfigured : ConnectorErrorKind.CommandFailed,
                    $"Microsoft Graph mailFolders/{names[i]}: {(int)status}");
            if (body.ValueKind == System.Text.Json.JsonValueKind.Object && System.Text.Json.JsonSerializer.Deserialize(body, GraphJson.Default.GraphFolderJson)?.Id is { } id)
                found[names[i]] = id;
        }
        return _wellKnown = found;
    }

    private IReadOnlyDictionary<string, string>? _wellKnown;

    public async Task<GraphDeltaPage?> GetMessageDeltaAsync(string folderId, string? link, CancellationToken cancellationToken)
    {
        const string What = "messages/delta";
        var url = link is null
            ? Url($"mailFolders/{Uri.EscapeDataString(folderId)}/messages/delta?$select={GraphJson.MessageSelect}")
            : Link(link, What);
        var (status, body) = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=" + options.DeltaPageSize.ToString(CultureInfo.InvariantCulture));
            return request;
        }, What, cancellationToken);
        if (GraphErrors.IsExpiredDelta(status, body))
            return null;
        GraphErrors.ThrowUnlessOk(status, body, What);
        var page = Parse(body, GraphJson.Default.GraphMessagePageJson, What);
        if (page.NextLink is null && page.DeltaLink is null)
            throw new ConnectorException(ConnectorErrorKind.Transient, $"Microsoft Graph {What}: a page with neither a next link nor a delta link.");
        var changes = new List<GraphMessageChange>();
        foreach (var m in page.Value ?? [])
        {
            if (m.Id is null)
                continue;
            changes.Add(m.Removed is not null
                ? new GraphMessageChange(m.Id, true, false, false, [], null, null)
                : new GraphMessageChange(m.Id, false, m.IsRead ?? false,
                    string.Equals(m.Flag?.FlagStatus, "flagged", StringComparison.OrdinalIgnoreCase), m.Categories ?? [], m.ConversationId, m.ReceivedDateTime));
        }
        return new GraphDeltaPage(changes, page.NextLink, page.DeltaLink);
    }

    public async Task<byte[]?> GetMimeAsync(string messageId, CancellationToken cancellationToken)
    {
        const string What = "messages/$value";
        var url = Url($"messages/{Uri.EscapeDataString(messageId)}/$value");
        var (status, body) = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), What, cancellationToken);
        if (status == HttpStatusCode.NotFound)
            return null;
        GraphErrors.ThrowUnlessOk(status, body, What);
        Counters.AddBody(body.Length);
        return body;
    }

    /// <summary>Graph refuses request bodies over 4 MB; base64 makes the MIME a third larger.</summary>
    public const int MaxRequestBytes = 4 * 1024 * 1024;

    public async Task<SmtpOutcome> SendMimeAsync(ReadOnlyMemory<byte> mime, CancellationToken cancellationToken)
    {
        const string What = "sendMail";
        var content = Convert.ToBase64String(mime.Span);
        if (content.Length > MaxRequestBytes)
            return await SendThroughDraftAsync(mime, cancellationToken);
        var (status, body) = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Url("sendMail"))
        {
            Content = new StringContent(content, Encoding.ASCII, "text/plain"),
        }, What, cancellationToken, idempotent: false);
        var code = (int)status;
        if (code is >= 200 and < 300)
            return new SmtpOutcome(SmtpOutcomeKind.Accepted, code, "Microsoft Graph sendMail accepted");
        var reply = $"Microsoft Graph {What}: {code} {GraphErrors.Describe(body)}";
        if (status == HttpStatusCode.Forbidden)
            throw new ConnectorException(ConnectorErrorKind.Misconfigured, reply); // no Mail.Send permission: a person must grant it
        return new SmtpOutcome(code >= 500 || code == 429 ? SmtpOutcomeKind.Temporary : SmtpOutcomeKind.Permanent, code, reply);
    }
}

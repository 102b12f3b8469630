using System.Collections.Concurrent;
using Mailroom.Connectors.Http;
using Mailroom.Core.Connectors;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors.Graph;

/// <summary>
/// Opens Microsoft Graph sessions. One HTTP client for every mailbox (connections pooled), one concurrency limit per
/// mailbox (shared by its sync and its outbox, as Exchange counts them together).
/// </summary>
public sealed class GraphConnector(GraphOptions options, TimeProvider time, ILogger<GraphConnector> logger) : IDisposable
{
    private readonly HttpClient _http = ProviderHttp.CreateClient();

    private readonly ConcurrentDictionary<long, SemaphoreSlim> _slots = new();

    public void Dispose() => _http.Dispose();

    /// <param name="mailboxId">Whose concurrency limit the session shares.</param>
    /// <param name="user">Null for the signed-in user (<c>/me</c>, delegated permissions); the mailbox's address with
    /// application permissions (<c>/users/{address}</c>).</param>
    /// <param name="accessToken">A usable access token; given the one Graph refused, a fresh one (or a
    /// <see cref="ConnectorException"/> when the grant is dead).</param>
    /// <param name="canRefresh">False for a token alone: a 401 is then a refused login.</param>
    public IGraphSession Open(long mailboxId, string? user, Func<string?, CancellationToken, Task<string>> accessToken, bool canRefresh)
    {
        var slots = _slots.GetOrAdd(mailboxId, _ => new SemaphoreSlim(options.MaxConcurrentRequests, options.MaxConcurrentRequests));
        var userPath = user is null ? "me" : "users/" + Uri.EscapeDataString(user);
        return new GraphSession(_http, options, slots, userPath, accessToken, canRefresh, time, logger);
    }
}

using System.Collections.Concurrent;
using Mailroom.Connectors.Http;
using Mailroom.Core.Connectors;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors.GmailApi;

/// <summary>
/// Opens Gmail API sessions. One HTTP client for every mailbox (connections pooled), one quota budget per mailbox
/// (shared by its sync and its outbox). A session is checked with users.getProfile before it is returned, so a token
/// that does not work fails here, as an IMAP login would.
/// </summary>
public sealed class GmailApiConnector(GmailOptions options, TimeProvider time, ILogger<GmailApiConnector> logger) : IDisposable
{
    private readonly HttpClient _http = ProviderHttp.CreateClient();

    private readonly ConcurrentDictionary<long, QuotaBudget> _budgets = new();

    public void Dispose() => _http.Dispose();

    /// <param name="mailboxId">Whose quota budget the session spends.</param>
    /// <param name="accessToken">A usable access token; given the one Google refused, a fresh one (or a
    /// <see cref="ConnectorException"/> when the grant is dead).</param>
    /// <param name="canRefresh">False for a token alone (checking a new authorization): a 401 is then a refused login.</param>
    public async Task<IGmailApiSession> ConnectAsync(
        long mailboxId, Func<string?, CancellationToken, Task<string>> accessToken, bool canRefresh, CancellationToken cancellationToken) =>
        await ConnectAsync(mailboxId, accessToken, canRefresh, verify: true, cancellationToken);

    /// <param name="verify">Read the profile first; a sync needs not (its first request proves the token), so that an
    /// unchanged mailbox costs one request.</param>
    public async Task<IGmailApiSession> ConnectAsync(
        long mailboxId, Func<string?, CancellationToken, Task<string>> accessToken, bool canRefresh, bool verify, CancellationToken cancellationToken)
    {
        var session = Open(mailboxId, accessToken, canRefresh);
        if (verify)
            await session.GetProfileAsync(cancellationToken);
        return session;
    }

    /// <summary>A session for sending (no profile read first).</summary>
    internal GmailApiSession Open(long mailboxId, Func<string?, CancellationToken, Task<string>> accessToken, bool canRefresh)
    {
        var budget = _budgets.GetOrAdd(mailboxId, _ => new QuotaBudget(options.QuotaUnitsPerSecond, time));
        return new GmailApiSession(_http, options, budget, accessToken, canRefresh, time, logger);
    }
}

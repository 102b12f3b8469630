using Mailroom.Core.Accounts;
using System.Collections.Concurrent;
using System.Net;
using Mailroom.Connectors.Imap;
using Mailroom.Core.Connectors;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors.Ews;

/// <summary>
/// Opens EWS sessions. One HTTP client per mailbox (its own credentials and trusted CA; connections pooled across
/// syncs, which NTLM needs: it authenticates a connection, not a request). Basic and NTLM are only sent over https.
/// </summary>
public sealed class EwsConnector(EwsOptions options, TimeProvider time, ILogger<EwsConnector> logger) : IDisposable
{
    private readonly ConcurrentDictionary<long, (EwsAccount Account, HttpClient Http)> _clients = new();

    public void Dispose()
    {
        foreach (var (_, http) in _clients.Values)
            http.Dispose();
    }

    /// <param name="verify">Read the well-known folders first, so that wrong credentials or a wrong URL fail here
    /// (onboarding); a sync needs not, its first request proves them.</param>
    public async Task<IEwsSession> ConnectAsync(long mailboxId, EwsAccount account, bool verify, CancellationToken cancellationToken)
    {
        var session = Open(mailboxId, account);
        if (verify)
            await session.GetDistinguishedFolderIdsAsync(["inbox"], cancellationToken);
        return session;
    }

    private EwsSession Open(long mailboxId, EwsAccount account)
    {
        if (account.Url.Scheme != Uri.UriSchemeHttps)
            throw new ConnectorException(ConnectorErrorKind.Misconfigured, $"EWS URL {account.Url} is not https: credentials are only sent over TLS.");
        var entry = _clients.AddOrUpdate(mailboxId, _ => (account, Create(account)), (_, old) =>
        {
            if (old.Account == account)
                return old;
            old.Http.Dispose();
            return (account, Create(account));
        });
        return new EwsSession(entry.Http, account, options, time, logger);
    }

    private static HttpClient Create(EwsAccount account)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.All,
            PreAuthenticate = false,
        };
        if (account.Authentication == EwsAuthentication.Ntlm)
            handler.Credentials = new CredentialCache { { account.Url, "NTLM", new NetworkCredential(account.User, account.Password) } };
        if (account.TrustedCaFile is { Length: > 0 } ca)
            handler.SslOptions.RemoteCertificateValidationCallback = CertificateTrust.ForCaFile(ca);
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }; // each request has its own deadline
    }
}

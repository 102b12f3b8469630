using Mailroom.Connectors.Discovery;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors;

/// <summary>Log messages of the connectors. Event ids: 1000–1099 connect and auth, 1100–1199 protocol, 1200–1299 discovery.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Debug, "Connected to {Host}:{Port} ({Security})")]
    public static partial void Connected(ILogger logger, string host, int port, string security);

    [LoggerMessage(1001, LogLevel.Warning, "Connecting to {Host}:{Port} failed ({Kind}): {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string host, int port, string kind, string reason);

    [LoggerMessage(1010, LogLevel.Warning, "OAuth request to {Endpoint} failed: {Reason}")]
    public static partial void OAuthRequestFailed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(1011, LogLevel.Information, "OAuth token of mailbox {Mailbox} refreshed at {Provider}; it expires {ExpiresAt:u}")]
    public static partial void TokenRefreshed(ILogger logger, string mailbox, string provider, DateTimeOffset expiresAt);

    [LoggerMessage(1012, LogLevel.Warning, "Mailbox {Mailbox} needs to be authorized again at {Provider}: {Reason}")]
    public static partial void NeedsReauthorization(ILogger logger, string mailbox, string provider, string reason);
    [LoggerMessage(1200, LogLevel.Debug, "Discovery for {Domain}: {Source} {Outcome} ({Detail})")]
    public static partial void DiscoverySource(ILogger logger, string domain, DiscoverySource source, SourceOutcome outcome, string detail);

    [LoggerMessage(1300, LogLevel.Information, "{Service} rejected the access token for {What}; refreshing it once")]
    public static partial void ProviderTokenRejected(ILogger logger, string service, string what);

    [LoggerMessage(1301, LogLevel.Information, "{Service} {What}: {Failure}; retrying in {Seconds:0.0} s")]
    public static partial void ProviderRetry(ILogger logger, string service, string what, string failure, double seconds);

    [LoggerMessage(1400, LogLevel.Information, "EWS {What}: {Failure}; retrying in {Seconds:0.0} s")]
    public static partial void EwsRetry(ILogger logger, string what, string failure, double seconds);
}

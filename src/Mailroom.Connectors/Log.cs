using Mailroom.Core.Connectors;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors;

/// <summary>Log messages of the connectors. Event ids: 1000–1099 connect and auth, 1100–1199 protocol.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Debug, "Connected to {Host}:{Port} ({Security})")]
    public static partial void Connected(ILogger logger, string host, int port, string security);

    [LoggerMessage(1001, LogLevel.Warning, "Connecting to {Host}:{Port} failed ({Kind}): {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string host, int port, ConnectorErrorKind kind, string reason);
}

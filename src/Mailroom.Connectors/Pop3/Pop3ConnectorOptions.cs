namespace Mailroom.Connectors.Pop3;

/// <summary>Deadlines for POP3 sessions. Section <c>Pop3</c>.</summary>
public sealed class Pop3ConnectorOptions
{
    /// <summary>Connect, TLS handshake and login together.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest the server may stay silent during a command.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(2);
}

namespace Mailroom.Connectors.Smtp;

/// <summary>Deadlines for SMTP submission sessions.</summary>
public sealed class SmtpConnectorOptions
{
    /// <summary>Connect, TLS handshake and login together.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest the server may stay silent during a command.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(2);
}

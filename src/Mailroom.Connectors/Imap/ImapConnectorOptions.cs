namespace Mailroom.Connectors.Imap;

/// <summary>Deadlines and batch sizes for IMAP sessions.</summary>
public sealed class ImapConnectorOptions
{
    /// <summary>Connect, TLS handshake and login together.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest the server may stay silent during a command.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a server without IDLE is asked (NOOP) whether something changed.</summary>
    public TimeSpan PollWithoutIdle { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Enable QRESYNC (RFC 7162) where the server offers it; off only to measure or test CONDSTORE alone.</summary>
    public bool UseQuickResync { get; set; } = true;

    /// <summary>Ask for changes in every folder with NOTIFY (RFC 5465) where the server offers it; off to test polling.</summary>
    public bool UseNotify { get; set; } = true;
}

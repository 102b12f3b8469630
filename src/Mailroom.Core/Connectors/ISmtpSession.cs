using Mailroom.Core.Sending;

namespace Mailroom.Core.Connectors;

/// <summary>One authenticated SMTP connection; sends one message after another. One caller at a time.</summary>
public interface ISmtpSession : IAsyncDisposable
{
    /// <summary>
    /// Submits the message exactly as <paramref name="raw"/> holds it. A reply from the server (accepted, 4xx, 5xx) is
    /// the outcome; a lost connection or a timeout is a <see cref="ConnectorException"/> (transient), after which the
    /// session cannot be used again.
    /// </summary>
    Task<SmtpOutcome> SendAsync(string sender, IReadOnlyList<string> recipients, byte[] raw, bool international, CancellationToken cancellationToken);
}

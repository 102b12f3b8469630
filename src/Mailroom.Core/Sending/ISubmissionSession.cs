namespace Mailroom.Core.Sending;

/// <summary>One open way to submit messages for a mailbox (an SMTP connection, an API client).</summary>
public interface ISubmissionSession : IAsyncDisposable
{
    /// <summary>
    /// Submits the claimed message exactly as its bytes hold it. The provider's answer is the outcome (accepted,
    /// temporary, permanent); a lost connection or a timeout is a <see cref="Connectors.ConnectorException"/>, after which
    /// the session is not used again.
    /// </summary>
    Task<SmtpOutcome> SendAsync(ClaimedItem claim, CancellationToken cancellationToken);
}

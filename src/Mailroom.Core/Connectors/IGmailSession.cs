namespace Mailroom.Core.Connectors;

/// <summary>
/// Gmail's IMAP extension X-GM-EXT-1 on a session: message ids, conversation ids and labels. A session may implement
/// this and still talk to a server without the extension; <see cref="HasGmailExtensions"/> says which.
/// </summary>
public interface IGmailSession : IMailboxSession
{
    /// <summary>The server announced X-GM-EXT-1 after login.</summary>
    bool HasGmailExtensions { get; }

    /// <summary>
    /// UID, flags, INTERNALDATE, X-GM-MSGID, X-GM-THRID and X-GM-LABELS of every message in the open folder, or,
    /// with <paramref name="changedSince"/>, only of those whose mod-sequence is above it (RFC 7162 CHANGEDSINCE).
    /// </summary>
    Task<IReadOnlyList<GmailMessageState>> FetchGmailStatesAsync(ulong? changedSince, CancellationToken cancellationToken);

    /// <summary>
    /// Fetches only the bodies of messages whose facts are already known (one batched UID FETCH BODY.PEEK[]), calling
    /// <paramref name="onMessage"/> for each as it arrives, with <see cref="FetchedMessage.ProviderId"/> and
    /// <see cref="FetchedMessage.ProviderThreadId"/> filled from the facts. Messages the server no longer has are skipped.
    /// </summary>
    Task FetchGmailMessagesAsync(
        IReadOnlyList<GmailMessageState> messages,
        Func<FetchedMessage, CancellationToken, ValueTask> onMessage,
        CancellationToken cancellationToken);
}

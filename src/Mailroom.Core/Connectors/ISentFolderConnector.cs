using Mailroom.Core.Accounts;

namespace Mailroom.Core.Connectors;

/// <summary>Opens a session to a mailbox for filing sent mail (IMAP).</summary>
public interface ISentFolderConnector
{
    Task<ISentFolderSession> ConnectAsync(MailboxSettings settings, MailboxCredential credential, CancellationToken cancellationToken);
}

/// <summary>The Sent folder of one mailbox: find a message by Message-ID, append a copy.</summary>
public interface ISentFolderSession : IAsyncDisposable
{
    /// <summary>The path of the Sent folder (SPECIAL-USE \Sent, else by name), or null when the mailbox has none.</summary>
    Task<string?> FindSentFolderAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Which of these Message-IDs the folder holds among the messages it received on or after <paramref name="since"/>
    /// (UID SEARCH SINCE date HEADER Message-ID, then an exact check). The date bound keeps the search off a large
    /// Sent folder's old mail: SINCE is answered from the server's index, a header match reads every message it tests.
    /// </summary>
    Task<IReadOnlySet<string>> FindMessageIdsAsync(string folder, IReadOnlyCollection<string> messageIds, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Appends the messages with \Seen, in one MULTIAPPEND (RFC 3502) where the server offers it.</summary>
    Task AppendSeenAsync(string folder, IReadOnlyList<SentCopy> copies, CancellationToken cancellationToken);
}

/// <summary>A sent message's exact bytes and the time it was sent (its INTERNALDATE in Sent).</summary>
public sealed record SentCopy(byte[] Raw, DateTimeOffset InternalDate);

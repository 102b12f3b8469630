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

    /// <summary>Whether the folder holds a message with this Message-ID (UID SEARCH HEADER Message-ID).</summary>
    Task<bool> ContainsAsync(string folder, string messageId, CancellationToken cancellationToken);

    /// <summary>Appends the message with \Seen.</summary>
    Task AppendSeenAsync(string folder, byte[] raw, DateTimeOffset internalDate, CancellationToken cancellationToken);
}

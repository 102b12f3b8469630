namespace Mailroom.Core.Storage;

/// <summary>The messages a mailbox with privacy scope "contacts" skipped, for fetching them when a contact needs them.</summary>
public interface ISkippedMessageStore
{
    /// <summary>Folders of the mailbox with skipped messages, and their UIDs.</summary>
    Task<IReadOnlyList<SkippedFolder>> GetSkippedAsync(long mailboxId, CancellationToken cancellationToken);
}

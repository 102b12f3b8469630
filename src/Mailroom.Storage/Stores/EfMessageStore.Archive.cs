using Mailroom.Core.Connectors;
using Mailroom.Core.Sync;

namespace Mailroom.Storage.Stores;

/// <summary><see cref="IArchiveStore"/>: archive folders share POP3's local UIDs keyed by remote id.</summary>
internal sealed partial class EfMessageStore : IArchiveStore
{
    public Task<Pop3FolderState> OpenArchiveFolderAsync(long mailboxId, string path, CancellationToken cancellationToken) =>
        OpenLocalUidFolderAsync(mailboxId, new RemoteFolder(path, '/', FolderRoleNames.Guess(path, '/'), CanSelect: true), cancellationToken);
}

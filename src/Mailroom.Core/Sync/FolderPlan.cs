using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sync;

/// <summary>What a full sync must still do in one folder, decided from the store and the server's UID list.</summary>
/// <param name="Status">The folder's state when planned: checkpointed once every message below it is stored.</param>
/// <param name="ToFetch">UIDs the store lacks, newest first.</param>
internal sealed record FolderPlan(StoredFolder Folder, FolderStatus Status, IReadOnlyList<uint> ToFetch);

namespace Mailroom.Connectors.Tests.Imap.Sessions;

/// <summary>What the connector reported while waiting for changes: in another folder first, then in the one it waits in.</summary>
internal sealed record WaitResult(bool WatchesAllFolders, IReadOnlySet<string> OtherFolderChanged, IReadOnlySet<string> SameFolderChanged);

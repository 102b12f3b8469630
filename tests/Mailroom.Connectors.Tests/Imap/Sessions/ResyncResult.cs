using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.Tests.Imap.Sessions;

/// <summary>What the connector reported in a scenario that reads a folder, reconnects after changes, and asks what changed.</summary>
internal sealed record ResyncResult(
    ChangeTracking Tracking,
    FolderStatus Before,
    IReadOnlyList<RemoteMessageState> StatesBefore,
    FolderStatus After,
    FolderChanges Changes,
    IReadOnlyList<uint> UidsAfter);

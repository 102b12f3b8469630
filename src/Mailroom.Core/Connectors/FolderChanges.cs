namespace Mailroom.Core.Connectors;

/// <summary>What changed in the open folder since a mod-sequence.</summary>
/// <param name="Changed">Messages whose flags changed or that arrived since, with their flags now.</param>
/// <param name="Vanished">
/// UIDs expunged since (QRESYNC's VANISHED (EARLIER), which may also name UIDs the client never saw), or null when
/// the server cannot say (CONDSTORE only).
/// </param>
public sealed record FolderChanges(IReadOnlyList<RemoteMessageState> Changed, IReadOnlyList<uint>? Vanished);

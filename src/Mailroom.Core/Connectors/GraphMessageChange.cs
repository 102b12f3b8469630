namespace Mailroom.Core.Connectors;

/// <summary>A message in a delta page: its state now, or its removal from the folder.</summary>
/// <param name="Id">Its immutable id (kept across moves).</param>
/// <param name="Removed">An <c>@removed</c> entry: it left the folder (moved or deleted); the rest is null.</param>
/// <param name="IsRead">isRead.</param>
/// <param name="Flagged">flag.flagStatus is "flagged".</param>
/// <param name="Categories">Its categories.</param>
/// <param name="ConversationId">The provider thread id.</param>
/// <param name="ReceivedDateTime">When it arrived.</param>
public sealed record GraphMessageChange(
    string Id, bool Removed, bool IsRead, bool Flagged, IReadOnlyList<string> Categories, string? ConversationId, DateTimeOffset? ReceivedDateTime);

namespace Mailroom.Core.Connectors;

/// <summary>One message as fetched from the server: the raw bytes and the server's facts about it.</summary>
/// <param name="Uid">The UID in the open folder.</param>
/// <param name="Flags">System flags.</param>
/// <param name="Keywords">User keywords, sorted.</param>
/// <param name="InternalDate">The server's INTERNALDATE, or null.</param>
/// <param name="Raw">The message exactly as the server sent it (RFC 822 bytes).</param>
public sealed record FetchedMessage(
    uint Uid,
    MessageFlags Flags,
    IReadOnlyList<string> Keywords,
    DateTimeOffset? InternalDate,
    ReadOnlyMemory<byte> Raw);

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
    ReadOnlyMemory<byte> Raw)
{
    /// <summary>The provider's stable id for the message (Gmail X-GM-MSGID), which then is its identity.</summary>
    public string? ProviderId { get; init; }

    /// <summary>The provider's conversation id (Gmail X-GM-THRID).</summary>
    public string? ProviderThreadId { get; init; }

    /// <summary>The server's id when <see cref="Uid"/> is assigned locally: the POP3 UIDL.</summary>
    public string? RemoteId { get; init; }
}

namespace Mailroom.Core.Connectors;

/// <summary>
/// What the server says about a message without sending it: enough to recognise a copy already stored (same
/// Message-ID and same size) and to record its place in the folder.
/// </summary>
/// <param name="MessageId">The Message-ID header's id without angle brackets, or null.</param>
/// <param name="Size">RFC822.SIZE: the exact size of the raw message in octets.</param>
public sealed record RemoteMessageSummary(
    uint Uid,
    MessageFlags Flags,
    IReadOnlyList<string> Keywords,
    DateTimeOffset? InternalDate,
    long Size,
    string? MessageId);

using System.Globalization;

namespace Mailroom.Core.Connectors;

/// <summary>
/// A message of the open folder as Gmail describes it (X-GM-EXT-1): UID and flags as everywhere, plus Gmail's own
/// message id, conversation id and labels.
/// </summary>
/// <param name="Keywords">User keywords, sorted.</param>
/// <param name="MessageId">X-GM-MSGID: stable across folders and sessions; null if the server left it out.</param>
/// <param name="ThreadId">X-GM-THRID: Gmail's conversation id; null if the server left it out.</param>
/// <param name="Labels">X-GM-LABELS as the server spells them ("\\Inbox", "\\Sent", "Work"); null if the server left
/// them out, which is not the same as a message without labels.</param>
public sealed record GmailMessageState(
    uint Uid,
    MessageFlags Flags,
    IReadOnlyList<string> Keywords,
    DateTimeOffset? InternalDate,
    ulong? MessageId,
    ulong? ThreadId,
    IReadOnlyList<string>? Labels)
{
    /// <summary>The provider id a fetched copy carries ("gm:" + X-GM-MSGID), which makes its identity "p:gm:…".</summary>
    public string? ProviderId => MessageId is { } id ? "gm:" + id.ToString(CultureInfo.InvariantCulture) : null;

    /// <summary>X-GM-THRID in decimal, as stored in messages.provider_thread_id.</summary>
    public string? ProviderThreadId => ThreadId?.ToString(CultureInfo.InvariantCulture);

    /// <summary>The UID, flags and keywords alone.</summary>
    public RemoteMessageState State => new(Uid, Flags, Keywords);
}

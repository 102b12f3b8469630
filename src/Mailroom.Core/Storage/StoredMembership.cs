using Mailroom.Core.Connectors;

namespace Mailroom.Core.Storage;

/// <summary>A message's place in one folder: its UID there, its flags, and the raw copy the server holds.</summary>
public sealed record StoredMembership(
    long MessageId,
    uint Uid,
    MessageFlags Flags,
    IReadOnlyList<string> Keywords,
    string RawSha256);

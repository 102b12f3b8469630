using Mailroom.Core.Connectors;

namespace Mailroom.Storage.Queries;

/// <summary>One membership of a folder with the message it points to, as <see cref="StoreInspector"/> reads it.</summary>
/// <param name="Uid">The UID in the folder.</param>
/// <param name="Flags">The system flags stored for the membership.</param>
/// <param name="Keywords">The user keywords stored for the membership.</param>
/// <param name="RawSha256">The raw copy this folder holds.</param>
/// <param name="MessageId">The message row's id.</param>
/// <param name="IdentityKey">The message's identity in its mailbox.</param>
/// <param name="MessageIdHeader">The Message-ID header, or null.</param>
/// <param name="Subject">The subject, or null.</param>
public sealed record StoredMessageView(
    uint Uid,
    MessageFlags Flags,
    IReadOnlyList<string> Keywords,
    string RawSha256,
    long MessageId,
    string IdentityKey,
    string? MessageIdHeader,
    string? Subject);

using Mailroom.Core.Connectors;

namespace Mailroom.Storage.Queries;

/// <summary>A folder that holds the message, with the UID and flags it has there.</summary>
public sealed record MembershipView(long FolderId, string Path, long Uid, MessageFlags Flags, IReadOnlyList<string> Keywords);

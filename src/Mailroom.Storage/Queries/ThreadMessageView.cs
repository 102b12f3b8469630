using Mailroom.Core.Threading;

namespace Mailroom.Storage.Queries;

/// <summary>A message of a thread, with why it is there and the folders that hold it.</summary>
public sealed record ThreadMessageView(
    long Id, string? MessageIdHeader, string? InReplyTo, IReadOnlyList<string> References, string? Subject,
    DateTimeOffset? Date, string? From, ThreadReason? Reason, IReadOnlyList<string> Folders);

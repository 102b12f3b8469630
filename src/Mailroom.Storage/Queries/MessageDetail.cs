using Mailroom.Core.Threading;

namespace Mailroom.Storage.Queries;

/// <summary>Everything stored about one message except its raw bytes.</summary>
public sealed record MessageDetail(
    MessageSummary Summary, string? MessageIdHeader, string? InReplyTo, IReadOnlyList<string> References, DateTimeOffset? InternalDate,
    string? ThreadReason, string? TextBody, bool HasHtml, IReadOnlyList<MessageAddressView> Addresses, IReadOnlyList<AttachmentView> Attachments,
    IReadOnlyList<MembershipView> Folders, IReadOnlyList<string> Problems);

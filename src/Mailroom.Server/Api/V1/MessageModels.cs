using Mailroom.Core.Threading;
using Mailroom.Core.Connectors;
using Mailroom.Server.View;
using Mailroom.Storage.Queries;

namespace Mailroom.Server.Api.V1;

/// <summary>A message as listed.</summary>
internal sealed record MessageJson(
    long Id, long MailboxId, long? ThreadId, string? Subject, string? From, string? To, DateTimeOffset? Date, string Snippet,
    bool HasAttachments, long Size, bool Unread)
{
    public static MessageJson Of(MessageSummary m) =>
        new(m.Id, m.MailboxId, m.ThreadId, m.Subject, m.From, m.To, m.Date, m.Snippet, m.HasAttachments, m.Size, m.Unread);
}

/// <summary>One message with its addresses, threading, attachments (metadata) and folders.</summary>
/// <param name="ThreadReason">Why the message is in its thread: root, reference, providerid or subject.</param>
/// <param name="Problems">What could not be understood when the message was parsed (it is stored raw anyway).</param>
internal sealed record MessageDetailJson(
    long Id, long MailboxId, long? ThreadId, string? ThreadReason, string? Subject, DateTimeOffset? Date, DateTimeOffset? InternalDate,
    string Snippet, long Size, bool Unread, string? MessageId, string? InReplyTo, IReadOnlyList<string> References,
    IReadOnlyList<AddressJson> Addresses, IReadOnlyList<AttachmentJson> Attachments, IReadOnlyList<MembershipJson> Folders,
    string? TextBody, bool HasHtml, IReadOnlyList<string> Problems)
{
    public static MessageDetailJson From(MessageDetail d)
    {
        var s = d.Summary;
        return new(
            s.Id, s.MailboxId, s.ThreadId, Enum.TryParse<ThreadReason>(d.ThreadReason, out var reason) ? EnumWords.Of(reason) : null, s.Subject, s.Date, d.InternalDate, s.Snippet, s.Size, s.Unread,
            d.MessageIdHeader, d.InReplyTo, d.References,
            [.. d.Addresses.Select(a => new AddressJson(a.Role, a.Name, a.Address))],
            [.. d.Attachments.Select(a => new AttachmentJson(a.Position, a.FileName, a.ContentType, a.Size, a.ContentId, a.IsInline,
                $"/v1/messages/{s.Id}/attachments/{a.Position}"))],
            [.. d.Folders.Select(f => new MembershipJson(f.FolderId, f.Path, f.Uid, FlagNames(f.Flags), f.Keywords))],
            d.TextBody, d.HasHtml, d.Problems);
    }

    private static List<string> FlagNames(MessageFlags flags) =>
        [.. Enum.GetValues<MessageFlags>().Where(f => f != 0 && flags.HasFlag(f)).Select(EnumWords.Of)];
}

/// <summary>An address of the message: role from, sender, reply_to, to, cc or bcc.</summary>
internal sealed record AddressJson(string Role, string? Name, string Address);

/// <summary>An attachment or inline part; <paramref name="Download"/> fetches its decoded content.</summary>
internal sealed record AttachmentJson(int Position, string? FileName, string ContentType, long Size, string? ContentId, bool Inline, string Download);

/// <summary>A folder holding the message, with its UID and flags there.</summary>
internal sealed record MembershipJson(long FolderId, string Path, long Uid, IReadOnlyList<string> Flags, IReadOnlyList<string> Keywords);

/// <summary>
/// The message's HTML after the email policy (safe on its own: no script, no URL a browser would fetch except the
/// message's own inline images under /v1 and, with remote=1, Mailroom's signed image proxy), and what was removed or blocked.
/// </summary>
internal sealed record SafeHtmlJson(long Id, bool RemoteAllowed, string Html, PrivacyReportJson Report);

/// <summary>A signed link (path and query) to a message's view page, and when it stops working.</summary>
internal sealed record ViewLinkJson(long Id, string Url, DateTimeOffset ExpiresAt);

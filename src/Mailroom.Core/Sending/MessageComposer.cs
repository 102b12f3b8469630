using System.Globalization;
using MimeKit;
using MimeKit.Utils;

namespace Mailroom.Core.Sending;

/// <summary>
/// Builds the MIME message for an <see cref="OutgoingMessage"/>: text and/or HTML in multipart/alternative (HTML alone
/// gets a generated text part), inline images with the HTML in multipart/related, an invitation as text/calendar in the
/// alternative, attachments in multipart/mixed. Output is 7-bit: text that is not plain ASCII with short lines is
/// quoted-printable, files are base64, non-ASCII header words are RFC 2047 and file names RFC 2231 (or raw UTF-8
/// headers when <c>international</c> is asked for, RFC 6532).
/// </summary>
public sealed class MessageComposer(IHtmlPolicy htmlPolicy, TimeProvider time)
{
    /// <summary>The options every composed message is written with; the SMTP connector sends with the same, so the bytes match.</summary>
    public static FormatOptions WriteOptions(bool international)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        options.International = international;
        return options;
    }

    /// <exception cref="InvalidMessageException">The draft has invalid or dangerous values; nothing was built.</exception>
    public ComposedMessage Compose(OutgoingMessage draft, bool international = false)
    {
        var problems = DraftValidator.Validate(draft);
        if (problems.Count > 0)
            throw new InvalidMessageException(problems);

        var message = new MimeMessage();
        message.From.Add(Mailbox(draft.From));
        message.To.AddRange(draft.To.Select(Mailbox));
        message.Cc.AddRange(draft.Cc.Select(Mailbox));
        var subject = SubjectFor(draft);
        message.Subject = subject;
        message.Date = time.GetUtcNow();
        message.MessageId = MimeUtils.GenerateMessageId(new IdnMapping().GetAscii(Domain(draft.From.Address)));

        if ((draft.ReplyTo ?? draft.Forward) is { } original)
        {
            var references = original.References.ToList();
            if (original.MessageId is { } id && !references.Contains(id, StringComparer.Ordinal))
                references.Add(id);
            foreach (var r in references)
                message.References.Add(r);
            if (draft.ReplyTo?.MessageId is { } inReplyTo)
                message.InReplyTo = inReplyTo;
        }

        foreach (var (name, value) in draft.Headers)
            message.Headers.Add(name, value);

        message.Body = Body(draft);
        var raw = Write(message, international);
        var recipients = draft.To.Concat(draft.Cc).Concat(draft.Bcc)
            .Select(a => a.Address).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new ComposedMessage(message.MessageId, raw, draft.From.Address, recipients, subject, international);
    }

    private static byte[] Write(MimeMessage message, bool international)
    {
        using var buffer = new MemoryStream();
        message.WriteTo(WriteOptions(international), buffer);
        return buffer.ToArray();
    }

    private MimeEntity Body(OutgoingMessage draft)
    {
        var quote = draft.ReplyTo is { } reply ? Quoting.Reply(reply) : draft.Forward is { } forward ? Quoting.Forward(forward) : null;
        var html = draft.Html is null ? null : htmlPolicy.Apply(draft.Html) + (quote?.Html(htmlPolicy) ?? "");
        var text = draft.Text ?? (html is null ? "" : GeneratedText.FromHtml(html));
        if (draft.Text is not null || html is null)
            text += quote?.Text ?? "";

        var parts = new List<MimeEntity> { TextPart("plain", text) };
        if (html is not null)
        {
            var htmlPart = TextPart("html", html);
            var inline = draft.Attachments.Where(a => a.IsInline).ToList();
            if (inline.Count == 0)
            {
                parts.Add(htmlPart);
            }
            else
            {
                var related = new MultipartRelated { htmlPart };
                foreach (var a in inline)
                    related.Add(FilePart(a));
                parts.Add(related);
            }
        }

        if (draft.Invitation is { } invitation)
            parts.Add(CalendarPart(invitation));

        MimeEntity body = parts.Count == 1 ? parts[0] : new MultipartAlternative(parts.ToArray());
        var files = draft.Attachments.Where(a => !a.IsInline).ToList();
        if (files.Count == 0)
            return body;
        var mixed = new Multipart("mixed") { body };
        foreach (var a in files)
            mixed.Add(FilePart(a));
        return mixed;
    }

    private TextPart CalendarPart(InvitationDraft invitation)
    {
        var part = TextPart("calendar", InvitationWriter.Write(invitation, time.GetUtcNow()));
        part.ContentType.Parameters.Add("method", invitation.Method == InvitationMethod.Cancel ? "CANCEL" : "REQUEST");
        return part;
    }

    private static TextPart TextPart(string subtype, string text)
    {
        // CRLF line endings in the content itself: MimeKit writes 7bit content as given, and SMTP (RFC 5321 §2.3.8)
        // forbids bare LF and bare CR.
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace("\n", "\r\n", StringComparison.Ordinal);
        var part = new TextPart(subtype);
        part.SetText("utf-8", normalized);
        part.ContentTransferEncoding = IsSevenBitSafe(normalized) ? ContentEncoding.SevenBit : ContentEncoding.QuotedPrintable;
        return part;
    }

    // 7bit (RFC 2045 §2.7): ASCII without NUL or bare CR, lines of at most 998 octets. Anything else is quoted-printable:
    // readable where it is ASCII, safe through any relay, and the same bytes in Sent as on the wire.
    private static bool IsSevenBitSafe(string text)
    {
        var lineLength = 0;
        foreach (var c in text)
        {
            if (c == '\n') { lineLength = 0; continue; }
            if (c == '\r') continue;
            if (c > 127 || c == '\0' || (char.IsControl(c) && c != '\t') || ++lineLength > 998)
                return false;
        }
        return true;
    }

    private static MimePart FilePart(OutgoingAttachment attachment)
    {
        var part = new MimePart(ContentType.Parse(attachment.ContentType))
        {
            Content = new MimeContent(new MemoryStream(attachment.Content, writable: false)),
            ContentDisposition = new ContentDisposition(attachment.IsInline ? ContentDisposition.Inline : ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = attachment.FileName,
        };
        if (attachment.ContentId is { } cid)
            part.ContentId = cid;
        return part;
    }

    private static MailboxAddress Mailbox(OutgoingAddress address) => new(address.Name ?? "", address.Address);

    private static string Domain(string address) => address[(address.LastIndexOf('@') + 1)..];

    private static string SubjectFor(OutgoingMessage draft)
    {
        if (draft.Subject is not null)
            return draft.Subject;
        if (draft.ReplyTo is { } reply)
            return Prefixed("Re:", reply.Subject);
        if (draft.Forward is { } forward)
            return Prefixed("Fwd:", forward.Subject);
        return "";
    }

    /// <summary>"Re: x" for "x", and "Re: x" unchanged: the prefix is never stacked ("Re: Re: x").</summary>
    internal static string Prefixed(string prefix, string? subject)
    {
        var s = (subject ?? "").Trim();
        return s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? s : $"{prefix} {s}".TrimEnd();
    }
}

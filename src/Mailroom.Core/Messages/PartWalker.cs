using MimeKit;

namespace Mailroom.Core.Messages;

/// <summary>
/// Lists a message's attachments and inline parts and reads its calendar parts, once the bodies are chosen.
/// Every leaf that is not read into a body is an attachment, except the text renderings of a multipart/alternative
/// that were not chosen. An encapsulated message is one attachment; its own parts are not this message's.
/// </summary>
internal sealed class PartWalker(NormalizationSession session, BodyParts bodies, string? html)
{
    // Calendars larger than this are not invitations; they are exports, and reading them is not worth the time.
    private const int MaxCalendarBytes = 4 * 1024 * 1024;
    private static readonly char[] UnsafeFileNameChars = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

    private readonly List<AttachmentInfo> attachments = [];
    private readonly List<CalendarEventInfo> events = [];
    private readonly HashSet<string> eventKeys = new(StringComparer.Ordinal);

    public IReadOnlyList<AttachmentInfo> Attachments => attachments;

    public IReadOnlyList<CalendarEventInfo> CalendarEvents => events;

    /// <summary>The HTML body found in a winmail.dat (its HTML, or the HTML its RTF encapsulates), or null.</summary>
    public string? TnefHtml { get; private set; }

    /// <summary>The text body found in a winmail.dat (its text, or its RTF's visible text), or null.</summary>
    public string? TnefText { get; private set; }

    public void Walk(MimeNode node) => Walk(node, inAlternative: false, inRelated: false);

    private void Walk(MimeNode node, bool inAlternative, bool inRelated)
    {
        switch (node.Entity)
        {
            case Multipart multipart:
                var alternative = multipart.ContentType.IsMimeType("multipart", "alternative");
                var related = inRelated || multipart.ContentType.IsMimeType("multipart", "related");
                foreach (var child in node.Children)
                    Walk(child, alternative, related);
                break;

            case MessagePart message:
                AddMessage(node, message);
                break;

            case MimePart part:
                VisitLeaf(node, part, inAlternative, inRelated);
                break;
        }
    }

    private void VisitLeaf(MimeNode node, MimePart part, bool inAlternative, bool inRelated)
    {
        if (bodies.Contains(node))
            return;

        var type = part.ContentType.MimeType.ToLowerInvariant();
        if (type is "text/calendar" or "application/ics")
            ReadCalendar(node, part);

        var fileName = CleanFileName(EncodedWords.FileName(part));
        var isAttachment = BodySelector.IsAttachment(part);
        if (inAlternative && part is TextPart && !isAttachment && fileName is null)
            return;

        var contentId = MessageIds.ContentId(part);
        var isInline = contentId is not null
            && (string.Equals(part.ContentDisposition?.Disposition, ContentDisposition.Inline, StringComparison.OrdinalIgnoreCase)
                || (inRelated && html is not null && html.Contains("cid:" + contentId, StringComparison.OrdinalIgnoreCase)));

        long size = 0;
        try
        {
            size = ContentSizer.DecodedSize(part, node.Where, session.Problems);
        }
        catch (Exception ex)
        {
            session.Problems.Add($"{node.Where}: content could not be read ({ex.GetType().Name})");
        }

        attachments.Add(new AttachmentInfo(fileName, type, size, contentId, isInline, node.Path));
        if (part is MimeKit.Tnef.TnefPart tnef)
            Unpack(node, tnef);
    }

    // winmail.dat stays listed as it is; the files in it follow it, and its body is kept for a message without one.
    private void Unpack(MimeNode node, MimeKit.Tnef.TnefPart tnef)
    {
        using var unpacked = TnefContent.Unpack(tnef, node.Where, session.Problems);
        if (unpacked is null)
            return;

        var parts = TnefContent.Parts(unpacked);
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            var where = $"{node.Where} (winmail.dat part {i + 1})";
            try
            {
                if (TnefContent.IsBody(part))
                {
                    ReadTnefBody(part, where);
                    continue;
                }

                var size = ContentSizer.DecodedSize(part, where, session.Problems);
                attachments.Add(new AttachmentInfo(
                    CleanFileName(part.FileName), part.ContentType.MimeType.ToLowerInvariant(), size, MessageIds.ContentId(part),
                    IsInline: false, TnefContent.PathOf(node.Path, i)));
            }
            catch (Exception ex)
            {
                session.Problems.Add($"{where}: could not be read ({ex.GetType().Name})");
            }
        }
    }

    private void ReadTnefBody(MimePart part, string where)
    {
        if (part.ContentType.IsMimeType("text", "rtf"))
        {
            using var buffer = new MemoryStream();
            part.Content?.DecodeTo(buffer);
            var (rtf, isHtml) = RtfText.Read(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            if (isHtml)
                TnefHtml ??= rtf;
            else if (!string.IsNullOrWhiteSpace(rtf))
                TnefText ??= rtf.Trim();
            return;
        }

        var text = TextDecoder.Decode(part, where, session.Problems, session.Fallback);
        if (part.ContentType.IsMimeType("text", "html"))
            TnefHtml ??= text;
        else
            TnefText ??= text;
    }

    private void AddMessage(MimeNode node, MessagePart part)
    {
        var fileName = CleanFileName(EncodedWords.FileName(part));
        // text/rfc822-headers (in bounces) is a MessagePart too, but only headers: not a message to save under its subject.
        if (fileName is null && part.ContentType.MediaType.Equals("message", StringComparison.OrdinalIgnoreCase))
            fileName = SubjectFileName(part.Message?.Subject);

        long size = 0;
        try
        {
            // The attached message as the sender attached it, even when it is not a message at all.
            size = session.RawContent(part)?.Length ?? ContentSizer.MessageSize(part);
        }
        catch (Exception ex)
        {
            session.Problems.Add($"{node.Where}: attached message could not be measured ({ex.GetType().Name})");
        }

        attachments.Add(new AttachmentInfo(
            fileName, part.ContentType.MimeType.ToLowerInvariant(), size, MessageIds.ContentId(part), IsInline: false, node.Path));
    }

    private void ReadCalendar(MimeNode node, MimePart part)
    {
        try
        {
            if (part.Content?.Stream is { CanSeek: true, Length: > MaxCalendarBytes })
            {
                session.Problems.Add($"{node.Where}: calendar too large to read");
                return;
            }

            var text = TextDecoder.Decode(part, node.Where, session.Problems, session.Fallback);
            part.ContentType.Parameters.TryGetValue("method", out string? method);
            foreach (var calendarEvent in CalendarReader.Read(text, method, node.Where, session.Problems))
            {
                var key = $"{calendarEvent.Uid}|{calendarEvent.Sequence}|{calendarEvent.Start:O}|{calendarEvent.Summary}";
                if (eventKeys.Add(key))
                    events.Add(calendarEvent);
            }
        }
        catch (Exception ex)
        {
            session.Problems.Add($"{node.Where}: calendar could not be read ({ex.GetType().Name})");
        }
    }

    // The decoded name as the sender wrote it, unfolded and without control characters; consumers sanitize for saving.
    private static string? CleanFileName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return null;

        var cleaned = HeaderReader.Unfold(name).Trim();
        if (cleaned.Any(char.IsControl))
            cleaned = new string(cleaned.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return cleaned.Length == 0 ? null : cleaned;
    }

    // A file name made from a forwarded message's subject: "Re: Q3/Q4 plan" becomes "Re_ Q3_Q4 plan.eml".
    private static string? SubjectFileName(string? subject)
    {
        if (CleanFileName(subject) is not { } cleaned)
            return null;

        var chars = cleaned.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (Array.IndexOf(UnsafeFileNameChars, chars[i]) >= 0)
                chars[i] = '_';
        }

        return new string(chars) + ".eml";
    }
}

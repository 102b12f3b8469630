using Mailroom.Core.Messages;

namespace Mailroom.Server.Cli;

/// <summary>The normalized fields of a message as a person reads them.</summary>
internal static class MessageFieldsPrinter
{
    public static void Print(NormalizedMessage m, long size, TextWriter o)
    {
        Field(o, "Subject", m.Subject);
        Field(o, "Date", m.Date?.ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture));
        Addresses(o, "From", m.From);
        Addresses(o, "Sender", m.Sender);
        Addresses(o, "Reply-To", m.ReplyTo);
        Addresses(o, "To", m.To);
        Addresses(o, "Cc", m.Cc);
        Addresses(o, "Bcc", m.Bcc);
        Field(o, "Message-ID", m.MessageId);
        Field(o, "In-Reply-To", m.InReplyTo);
        if (m.References.Count > 0)
            Field(o, "References", string.Join(' ', m.References));
        Field(o, "Size", $"{size:N0} bytes");
        Field(o, "Text body", m.TextBody is null ? null : $"{m.TextBody.Length:N0} characters");
        Field(o, "HTML body", m.HtmlBody is null ? null : $"{m.HtmlBody.Length:N0} characters");
        foreach (var a in m.Attachments)
        {
            var kind = a.IsInline ? "Inline" : "Attachment";
            var cid = a.ContentId is null ? "" : $" cid:{a.ContentId}";
            Field(o, kind, $"{a.FileName ?? "(no name)"} ({a.ContentType}, {a.Size:N0} bytes{cid}) [part {a.PartPath}]");
        }
        foreach (var e in m.CalendarEvents)
            Field(o, "Calendar", $"{e.Method} {e.Summary} {e.Start:yyyy-MM-dd HH:mm zzz} – {e.End:HH:mm zzz} organizer {e.Organizer}");
        Field(o, "Snippet", m.Snippet);
        foreach (var p in m.Problems)
            Field(o, "Problem", p);
    }

    private static void Field(TextWriter o, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            o.WriteLine($"{name + ":",-13} {value}");
    }

    private static void Addresses(TextWriter o, string name, IReadOnlyList<MessageAddress> list)
    {
        if (list.Count > 0)
            Field(o, name, string.Join(", ", list));
    }
}

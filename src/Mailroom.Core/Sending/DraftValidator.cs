using System.Globalization;

namespace Mailroom.Core.Sending;

/// <summary>
/// Checks every value that ends up in a header (or in a header-like iCalendar line) before MimeKit sees it. CR, LF and
/// NUL are refused everywhere, whatever the format options: MimeKit writes a display name containing a line break
/// verbatim when <c>FormatOptions.International</c> is on, so the library is not relied on to stop header injection.
/// </summary>
internal static class DraftValidator
{
    // Headers the composer writes itself; a custom header may not replace or repeat them.
    private static readonly HashSet<string> Structural = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "Sender", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
        "MIME-Version", "Return-Path", "Received", "Reply-To",
    };

    public static List<string> Validate(OutgoingMessage draft)
    {
        var problems = new List<string>();
        Address(problems, "from", draft.From);
        if (draft.To.Count + draft.Cc.Count + draft.Bcc.Count == 0)
            problems.Add("at least one recipient (to, cc or bcc) is required");
        foreach (var (field, list) in new[] { ("to", draft.To), ("cc", draft.Cc), ("bcc", draft.Bcc) })
        {
            foreach (var a in list)
                Address(problems, field, a);
        }

        Line(problems, "subject", draft.Subject);
        if (draft.Text is null && draft.Html is null && draft.Invitation is null)
            problems.Add("a text or HTML body (or an invitation) is required");
        if (draft.ReplyTo is not null && draft.Forward is not null)
            problems.Add("a message is either a reply or a forward, not both");
        Original(problems, "reply-to-message", draft.ReplyTo);
        Original(problems, "forward", draft.Forward);

        var contentIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in draft.Attachments)
        {
            if (string.IsNullOrWhiteSpace(a.FileName))
                problems.Add("attachment: a file name is required");
            Line(problems, "attachment file name", a.FileName);
            if (!MimeKit.ContentType.TryParse(a.ContentType, out _) || HasBreak(a.ContentType))
                problems.Add($"attachment {Show(a.FileName)}: '{Show(a.ContentType)}' is not a content type");
            if (a.ContentId is { } cid)
            {
                if (cid.Length == 0 || cid.Any(c => c is '<' or '>' or ' ' || char.IsControl(c)) || !cid.Contains('@', StringComparison.Ordinal))
                    problems.Add($"inline part {Show(a.FileName)}: content id '{Show(cid)}' must look like name@domain");
                else if (!contentIds.Add(cid))
                    problems.Add($"inline part {Show(a.FileName)}: content id '{cid}' is used twice");
                if (draft.Html is null)
                    problems.Add($"inline part {Show(a.FileName)} needs an HTML body that refers to cid:{Show(cid)}");
            }
        }

        foreach (var (name, value) in draft.Headers)
        {
            if (name.Length is 0 or > 76 || name.Any(c => c is < '!' or > '~' or ':'))
                problems.Add($"header name '{Show(name)}' is not a valid field name");
            else if (Structural.Contains(name) || name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)
                     || name.StartsWith("Resent-", StringComparison.OrdinalIgnoreCase))
                problems.Add($"header {name} is set by Mailroom and cannot be given");
            Line(problems, $"header {Show(name)}", value);
        }

        if (draft.Invitation is { } invitation)
            Invitation(problems, invitation);
        return problems;
    }

    /// <summary>True when the value holds CR, LF or NUL: the characters that end a header or a line.</summary>
    public static bool HasBreak(string? value) => value is not null && value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0;

    private static void Line(List<string> problems, string field, string? value)
    {
        if (HasBreak(value))
            problems.Add($"{field} contains a line break or NUL (CR, LF and NUL are not allowed in header values)");
    }

    private static void Address(List<string> problems, string field, OutgoingAddress address)
    {
        Line(problems, $"{field} name", address.Name);
        if (!IsValidAddress(address.Address))
            problems.Add($"{field}: '{Show(address.Address)}' is not a valid email address");
    }

    /// <summary>A dot-atom local part (UTF-8 allowed, RFC 6531) and a domain whose IDNA form is a valid host name.</summary>
    public static bool IsValidAddress(string? address)
    {
        if (string.IsNullOrEmpty(address) || address.Length > 254 || HasBreak(address))
            return false;
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1 || at > 64)
            return false;
        var local = address[..at];
        var domain = address[(at + 1)..];
        if (local.StartsWith('.') || local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal))
            return false;
        foreach (var c in local)
        {
            var atext = char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".Contains(c, StringComparison.Ordinal) || c > 127;
            if (!atext || char.IsWhiteSpace(c) || char.IsControl(c))
                return false;
        }

        try
        {
            var ascii = new IdnMapping().GetAscii(domain);
            return ascii.Split('.').All(l => l.Length is > 0 and <= 63
                && l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && !l.StartsWith('-') && !l.EndsWith('-'));
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Original(List<string> problems, string field, OriginalMessage? original)
    {
        if (original is null)
            return;
        Line(problems, $"{field} Message-ID", original.MessageId);
        Line(problems, $"{field} subject", original.Subject);
        foreach (var r in original.References)
            Line(problems, $"{field} References", r);
        if (original.MessageId is { } id && id.Any(c => c is '<' or '>' or ' '))
            problems.Add($"{field}: Message-ID '{Show(id)}' must be given without angle brackets or spaces");
    }

    private static void Invitation(List<string> problems, InvitationDraft invitation)
    {
        if (string.IsNullOrWhiteSpace(invitation.Uid))
            problems.Add("invitation: a UID is required");
        Line(problems, "invitation UID", invitation.Uid);
        if (string.IsNullOrWhiteSpace(invitation.Summary))
            problems.Add("invitation: a summary is required");
        if (invitation.End <= invitation.Start)
            problems.Add("invitation: the end must be after the start");
        if (invitation.Sequence < 0)
            problems.Add("invitation: the sequence cannot be negative");
        if (invitation.TimeZoneId is { } tz && !TimeZoneInfo.TryFindSystemTimeZoneById(tz, out _))
            problems.Add($"invitation: unknown time zone '{Show(tz)}'");
        Address(problems, "invitation organizer", invitation.Organizer);
        if (invitation.Attendees.Count == 0)
            problems.Add("invitation: at least one attendee is required");
        foreach (var a in invitation.Attendees)
            Address(problems, "invitation attendee", a);
    }

    // Problems quote what was given; control characters are shown escaped so the error itself stays one line.
    private static string Show(string? value) =>
        value is null ? "" : value.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\0", "\\0", StringComparison.Ordinal);
}

using System.Globalization;
using Mailroom.Core.Sending;

namespace Mailroom.Server.Cli;

/// <summary>
/// What <c>mailroom send</c> is asked to send, from its options or from <c>--json FILE</c> (the same fields, camelCase;
/// attachments by <c>path</c> or by <c>fileName</c> + <c>contentBase64</c>; an <c>invitation</c> only here).
/// </summary>
internal sealed class SendRequest
{
    public string? Account { get; set; }
    public string? From { get; set; }
    public List<string> To { get; set; } = [];
    public List<string> Cc { get; set; } = [];
    public List<string> Bcc { get; set; } = [];
    public string? Subject { get; set; }
    public string? Text { get; set; }
    public string? Html { get; set; }
    public List<SendAttachment> Attachments { get; set; } = [];
    public long? ReplyToMessage { get; set; }
    public long? ForwardMessage { get; set; }
    public Dictionary<string, string> Headers { get; set; } = [];
    public string? IdempotencyKey { get; set; }
    public SendInvitation? Invitation { get; set; }
    public bool International { get; set; }

    /// <summary>"Name &lt;addr&gt;" or "addr". The validator, not this, decides whether the parts are acceptable.</summary>
    public static OutgoingAddress ParseAddress(string value)
    {
        var text = value.Trim();
        var open = text.LastIndexOf('<');
        if (open >= 0 && text.EndsWith('>'))
        {
            var name = text[..open].Trim().Trim('"').Trim();
            return new OutgoingAddress(text[(open + 1)..^1].Trim(), name.Length == 0 ? null : name);
        }
        return new OutgoingAddress(text);
    }

    public async Task<List<OutgoingAttachment>> ReadAttachmentsAsync(string baseDirectory, CancellationToken cancellationToken)
    {
        var result = new List<OutgoingAttachment>();
        foreach (var a in Attachments)
        {
            byte[] content;
            string fileName;
            if (a.Path is { } path)
            {
                var full = Path.GetFullPath(path, baseDirectory);
                if (!File.Exists(full))
                    throw new FileNotFoundException($"no such attachment file: {full}", full);
                content = await File.ReadAllBytesAsync(full, cancellationToken);
                fileName = a.FileName ?? Path.GetFileName(full);
            }
            else if (a.ContentBase64 is { } base64 && a.FileName is { } name)
            {
                try
                {
                    content = Convert.FromBase64String(base64);
                }
                catch (FormatException)
                {
                    throw new InvalidDataException($"attachment {name}: contentBase64 is not base64");
                }
                fileName = name;
            }
            else
            {
                throw new InvalidDataException("an attachment needs a path, or a fileName with contentBase64");
            }
            result.Add(new OutgoingAttachment(fileName, a.ContentType ?? MimeKit.MimeTypes.GetMimeType(fileName), content, a.ContentId));
        }
        return result;
    }
}

internal sealed class SendAttachment
{
    public string? Path { get; set; }
    public string? FileName { get; set; }
    public string? ContentType { get; set; }
    public string? ContentBase64 { get; set; }

    /// <summary>Set for an inline image the HTML refers to as cid:CONTENT-ID.</summary>
    public string? ContentId { get; set; }
}

internal sealed class SendInvitation
{
    public string? Uid { get; set; }
    public string? Summary { get; set; }
    public string? Description { get; set; }
    public string? Location { get; set; }

    /// <summary>Local time in <see cref="TimeZone"/> (yyyy-MM-ddTHH:mm), or UTC without one.</summary>
    public string? Start { get; set; }

    public string? End { get; set; }
    public string? TimeZone { get; set; }
    public string? Organizer { get; set; }
    public List<string> Attendees { get; set; } = [];
    public int Sequence { get; set; }

    /// <summary>request (default) or cancel.</summary>
    public string? Method { get; set; }

    public InvitationDraft ToDraft(OutgoingAddress defaultOrganizer) => new(
        Uid ?? Guid.NewGuid().ToString("N") + "@mailroom",
        Summary ?? "",
        ParseTime(Start, "start"),
        ParseTime(End, "end"),
        TimeZone,
        Organizer is null ? defaultOrganizer : SendRequest.ParseAddress(Organizer),
        [.. Attendees.Select(SendRequest.ParseAddress)],
        Description,
        Location,
        Sequence,
        (Method ?? "request").ToLowerInvariant() switch
        {
            "request" => InvitationMethod.Request,
            "cancel" => InvitationMethod.Cancel,
            _ => throw new InvalidDataException($"invitation method must be request or cancel (was '{Method}')"),
        });

    private static DateTime ParseTime(string? value, string field) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? DateTime.SpecifyKind(t, DateTimeKind.Unspecified)
            : throw new InvalidDataException($"invitation {field} '{value}' is not a date and time (yyyy-MM-ddTHH:mm)");
}

using Mailroom.Core.Sending;

namespace Mailroom.Server.Sending;

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

using System.Text.Json.Serialization;

namespace Mailroom.Core.Messages;

/// <summary>
/// What Mailroom understands of one message: the fields every view, thread and contact link is built from.
/// Built by <see cref="MessageNormalizer"/>; the raw bytes are always kept beside it.
/// </summary>
public sealed record NormalizedMessage
{
    /// <summary>The Message-ID without angle brackets, or null when missing or unusable.</summary>
    public string? MessageId { get; init; }

    /// <summary>The first usable In-Reply-To id, without angle brackets.</summary>
    public string? InReplyTo { get; init; }

    /// <summary>The References ids in header order, without angle brackets.</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    public string? Subject { get; init; }

    /// <summary>Outlook's conversation id from the Thread-Index header (32 hex digits), or null.</summary>
    public string? ThreadIndex { get; init; }

    /// <summary>The List-Id identifier (<see cref="Threading.ListIds.Parse"/>), or null: threading removes the list's subject tag.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] // absent from dumps of messages that have none
    public string? ListId { get; init; }

    /// <summary>What in the header marks the message as sent by a machine (<see cref="Threading.AutomaticMail.FromHeaders"/>), or null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Automatic { get; init; }

    /// <summary>The Date header, or null when missing or unparsable.</summary>
    public DateTimeOffset? Date { get; init; }

    public IReadOnlyList<MessageAddress> From { get; init; } = [];
    public IReadOnlyList<MessageAddress> Sender { get; init; } = [];
    public IReadOnlyList<MessageAddress> ReplyTo { get; init; } = [];
    public IReadOnlyList<MessageAddress> To { get; init; } = [];
    public IReadOnlyList<MessageAddress> Cc { get; init; } = [];
    public IReadOnlyList<MessageAddress> Bcc { get; init; } = [];

    /// <summary>The plain-text body, decoded to Unicode, or null.</summary>
    public string? TextBody { get; init; }

    /// <summary>The HTML body, decoded to Unicode, unsanitized, or null.</summary>
    public string? HtmlBody { get; init; }

    public IReadOnlyList<AttachmentInfo> Attachments { get; init; } = [];

    public IReadOnlyList<CalendarEventInfo> CalendarEvents { get; init; } = [];

    /// <summary>The first ~200 characters of readable text, whitespace collapsed.</summary>
    public string Snippet { get; init; } = "";

    /// <summary>What could not be understood (bad charset, missing boundary, ...); empty for a clean message.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>Every address with the header it came from, in header order.</summary>
    public IEnumerable<(AddressRole Role, MessageAddress Address)> AllAddresses()
    {
        foreach (var a in From) yield return (AddressRole.From, a);
        foreach (var a in Sender) yield return (AddressRole.Sender, a);
        foreach (var a in ReplyTo) yield return (AddressRole.ReplyTo, a);
        foreach (var a in To) yield return (AddressRole.To, a);
        foreach (var a in Cc) yield return (AddressRole.Cc, a);
        foreach (var a in Bcc) yield return (AddressRole.Bcc, a);
    }
}

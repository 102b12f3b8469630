namespace Mailroom.Core.Sending;

/// <summary>What the user asked to send, before it becomes MIME. <see cref="MessageComposer"/> validates and builds it.</summary>
public sealed record OutgoingMessage
{
    public required OutgoingAddress From { get; init; }
    public IReadOnlyList<OutgoingAddress> To { get; init; } = [];
    public IReadOnlyList<OutgoingAddress> Cc { get; init; } = [];

    /// <summary>Envelope recipients only: never written into the message (nor into the Sent copy, which is the same bytes).</summary>
    public IReadOnlyList<OutgoingAddress> Bcc { get; init; } = [];

    public string? Subject { get; init; }
    public string? Text { get; init; }

    /// <summary>HTML body; passed through <see cref="IHtmlPolicy"/>. Alone, it gets a generated text/plain alternative.</summary>
    public string? Html { get; init; }

    public IReadOnlyList<OutgoingAttachment> Attachments { get; init; } = [];
    public InvitationDraft? Invitation { get; init; }

    /// <summary>The message this one answers: In-Reply-To, References, "Re:" and the quoted original.</summary>
    public OriginalMessage? ReplyTo { get; init; }

    /// <summary>The message this one forwards: References, "Fwd:" and the original quoted below a separator.</summary>
    public OriginalMessage? Forward { get; init; }

    /// <summary>Extra headers (X-..., List-Unsubscribe, ...). Structural headers (From, To, Content-*, ...) are refused.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}

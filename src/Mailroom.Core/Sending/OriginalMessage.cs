namespace Mailroom.Core.Sending;

/// <summary>The message a reply or forward refers to, as stored (the fields that the new message quotes or links).</summary>
/// <param name="MessageId">Its Message-ID without angle brackets, or null when it had none.</param>
/// <param name="References">Its References, oldest first, without angle brackets.</param>
public sealed record OriginalMessage(
    string? MessageId,
    IReadOnlyList<string> References,
    string? Subject,
    string? From,
    string? To,
    DateTimeOffset? Date,
    string? TextBody,
    string? HtmlBody);

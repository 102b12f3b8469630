using Mailroom.Core.Sending;

namespace Mailroom.Storage.Model;

/// <summary>One send request: the exact bytes to submit, the envelope, and where it stands.</summary>
internal sealed class OutboxEntity
{
    public long Id { get; set; }
    public long MailboxId { get; set; }

    /// <summary>Unique per mailbox: the same request made twice is queued once.</summary>
    public required string IdempotencyKey { get; set; }

    public required string MessageIdHeader { get; set; }
    public required string Sender { get; set; }

    /// <summary>Envelope recipients (To, Cc, Bcc) as a JSON array.</summary>
    public required string Recipients { get; set; }

    public required string Subject { get; set; }
    public required byte[] Raw { get; set; }
    public bool International { get; set; }

    public OutboxState State { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The claim of the sender holding the row, and until when; null when nobody holds it.</summary>
    public Guid? ClaimToken { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int? LastCode { get; set; }
    public string? LastReply { get; set; }
    public SentCopyState SentCopy { get; set; }
    public string? SentCopyError { get; set; }
}

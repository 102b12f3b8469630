namespace Mailroom.Storage.Model;

/// <summary>One distinct message of a mailbox, whatever number of folders hold it.</summary>
internal sealed class MessageEntity
{
    public long Id { get; set; }
    public long MailboxId { get; set; }

    /// <summary>Unique in the mailbox: the database, not the code, keeps a message from being stored twice.</summary>
    public required string IdentityKey { get; set; }

    /// <summary>The canonical raw copy: the first one stored.</summary>
    public required string RawSha256 { get; set; }

    public string? MessageIdHeader { get; set; }
    /// <summary>The provider's conversation id where it has one (Gmail X-GM-THRID).</summary>
    public string? ProviderThreadId { get; set; }
    public string? InReplyTo { get; set; }

    /// <summary>The References header: a JSON array of Message-IDs, or null when there are none.</summary>
    /// <remarks>Not named "references", a reserved word in SQL that hand-written queries would have to quote.</remarks>
    public string? ReferenceIds { get; set; }

    public string? Subject { get; set; }
    public DateTimeOffset? Date { get; set; }
    public DateTimeOffset? InternalDate { get; set; }
    public string? FromSummary { get; set; }
    public string? ToSummary { get; set; }
    public string? TextBody { get; set; }
    public string? HtmlBody { get; set; }
    public required string Snippet { get; set; }
    public bool HasAttachments { get; set; }

    /// <summary>JSON array of parse problems, or null for a clean message.</summary>
    public string? Problems { get; set; }

    /// <summary>JSON array of calendar events, or null.</summary>
    public string? CalendarEvents { get; set; }

    /// <summary>The conversation; null only for rows stored before threading existed.</summary>
    public long? ThreadId { get; set; }

    /// <summary>Why the message is in its thread (<see cref="Core.Threading.ThreadReason"/>).</summary>
    public string? ThreadReason { get; set; }

    /// <summary>The subject key the subject rule may join it on, or null (generic subject, provider thread id).</summary>
    public string? ThreadSubject { get; set; }

    public long Size { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

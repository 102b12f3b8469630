namespace Mailroom.Storage.Model;

/// <summary>One conversation of a mailbox; its messages point at it (<see cref="MessageEntity.ThreadId"/>).</summary>
internal sealed class ThreadEntity
{
    public long Id { get; set; }
    public long MailboxId { get; set; }

    /// <summary>The subject of its earliest message.</summary>
    public string? Subject { get; set; }

    public int MessageCount { get; set; }
    public DateTimeOffset? FirstDate { get; set; }
    public DateTimeOffset? LastDate { get; set; }
}

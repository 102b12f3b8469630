namespace Mailroom.Storage.Model;

/// <summary>
/// A key (<see cref="Core.Threading.ThreadKeys"/>: a Message-ID a message has or names, a provider conversation id)
/// and the thread that holds it. Unique per mailbox: a new message sharing a key joins that thread.
/// </summary>
internal sealed class ThreadKeyEntity
{
    public long MailboxId { get; set; }
    public required string Key { get; set; }
    public long ThreadId { get; set; }
}

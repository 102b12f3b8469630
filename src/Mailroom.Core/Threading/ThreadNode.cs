namespace Mailroom.Core.Threading;

/// <summary>A node of a reply tree: a message, or a missing message (null) that several others answer.</summary>
public sealed class ThreadNode(ThreadableMessage? message)
{
    public ThreadableMessage? Message { get; internal set; } = message;

    public List<ThreadNode> Children { get; } = [];

    internal ThreadNode? Parent { get; set; }

    /// <summary>The message's position in the input, for ordering.</summary>
    internal int Position { get; set; }

    /// <summary>The message's subject, or a missing message's first child's.</summary>
    public string? Subject => Message is not null ? Message.Subject : Children.Count > 0 ? Children[0].Subject : null;

    internal bool IsReply => Message is not null && SubjectNormalizer.IsReply(Message.Subject);
}

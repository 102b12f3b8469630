using MimeKit;

namespace Mailroom.Core.Messages;

/// <summary>Finds a part of a message by the part number stored with its attachment (<see cref="AttachmentInfo.PartPath"/>).</summary>
public static class PartPaths
{
    /// <summary>
    /// The part numbered <paramref name="path"/> (<c>1</c>, <c>2.1</c>, ...), numbered as at ingest; null when there is
    /// none. A multipart that was broken and recovered at ingest may be numbered differently here, and is then not found.
    /// </summary>
    public static MimeEntity? Find(MimeMessage message, string path)
    {
        ArgumentNullException.ThrowIfNull(message);
        var stack = new Stack<MimeNode>();
        if (MimeNode.Build(message, session: null, intoMessages: false) is { } root)
            stack.Push(root);
        while (stack.TryPop(out var node))
        {
            if (node.Path == path && node.Entity is not Multipart)
                return node.Entity;
            for (var i = node.Children.Count - 1; i >= 0; i--)
                stack.Push(node.Children[i]);
        }
        return null;
    }
}

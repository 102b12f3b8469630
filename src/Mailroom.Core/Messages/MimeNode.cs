using System.Globalization;
using MimeKit;

namespace Mailroom.Core.Messages;

/// <summary>
/// A MIME entity with its part number as IMAP BODYSTRUCTURE counts it: the parts of the top-level multipart are
/// 1, 2, ...; a single-part body is 1; the parts of an encapsulated message/rfc822 at 2 are 2.1, 2.2, ... (its
/// multipart body shares the number 2), and its single-part body is 2.1. The top-level multipart has the empty path.
/// </summary>
internal sealed class MimeNode
{
    // MimeKit already limits nesting when it parses; this guards messages built or parsed elsewhere.
    private const int MaxDepth = 128;

    private MimeNode(MimeEntity entity, string path, MimeNode? parent)
    {
        Entity = entity;
        Path = path;
        Parent = parent;
    }

    public MimeEntity Entity { get; }

    public string Path { get; }

    public MimeNode? Parent { get; }

    public List<MimeNode> Children { get; } = [];

    /// <summary>How problem messages name the part.</summary>
    public string Where => Path.Length == 0 ? "message body" : $"part {Path}";

    /// <summary>
    /// The tree of a message's body. With a session, broken multiparts are replaced by what could be recovered and
    /// their problems recorded; without one, the tree is exactly MimeKit's.
    /// </summary>
    public static MimeNode? Build(MimeMessage message, NormalizationSession? session, bool intoMessages)
    {
        if (message.Body is not { } body)
            return null;
        return Build(body, parent: null, body is Multipart ? "" : "1", session, intoMessages, depth: 0);
    }

    /// <summary>The part number of the child at <paramref name="index"/> of a multipart numbered <paramref name="path"/>.</summary>
    public static string ChildPath(string path, int index)
    {
        var number = (index + 1).ToString(CultureInfo.InvariantCulture);
        return path.Length == 0 ? number : $"{path}.{number}";
    }

    private static MimeNode Build(MimeEntity entity, MimeNode? parent, string path, NormalizationSession? session, bool intoMessages, int depth)
    {
        if (session is not null)
        {
            var where = path.Length == 0 ? "message body" : $"part {path}";
            HeaderReader.CheckFieldNames(entity.Headers, where, session.Problems);
            if (entity is Multipart { Count: 0 } empty)
            {
                entity = session.Recover(empty, where);
                if (entity is not Multipart && path.Length == 0)
                    path = "1";
            }
            else if (entity is Multipart multipart)
            {
                session.CheckMultipart(multipart, where);
            }
        }

        var node = new MimeNode(entity, path, parent);
        if (depth >= MaxDepth)
            return node;

        switch (entity)
        {
            case Multipart multipart:
                for (var i = 0; i < multipart.Count; i++)
                    node.Children.Add(Build(multipart[i], node, ChildPath(path, i), session, intoMessages, depth + 1));
                break;

            case MessagePart { Message.Body: { } inner } when intoMessages:
                node.Children.Add(Build(inner, node, inner is Multipart ? path : ChildPath(path, 0), session, intoMessages, depth + 1));
                break;
        }

        return node;
    }
}

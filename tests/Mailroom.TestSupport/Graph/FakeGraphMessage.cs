namespace Mailroom.TestSupport.Graph;

/// <summary>A message of <see cref="FakeGraphMailbox"/>: its MIME and the properties the delta serves.</summary>
public sealed class FakeGraphMessage(string id, byte[] mime, string conversationId, DateTimeOffset received)
{
    public string Id { get; } = id;
    public byte[] Mime { get; } = mime;
    public string ConversationId { get; } = conversationId;
    public DateTimeOffset ReceivedDateTime { get; } = received;
    public required string FolderId { get; set; }
    public bool IsRead { get; set; }
    public bool Flagged { get; set; }
    public IReadOnlyList<string> Categories { get; set; } = [];

    /// <summary>Attachments added to a draft (POST attachments, upload sessions): name, content type, content.</summary>
    public List<(string Name, string ContentType, byte[] Content)> Attachments { get; } = [];
}

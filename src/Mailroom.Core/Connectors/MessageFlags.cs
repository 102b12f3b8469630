namespace Mailroom.Core.Connectors;

/// <summary>The system flags of RFC 3501 §2.3.2, as a bit set.</summary>
[Flags]
public enum MessageFlags
{
    None = 0,
    Seen = 1,
    Answered = 2,
    Flagged = 4,
    Deleted = 8,
    Draft = 16,
}

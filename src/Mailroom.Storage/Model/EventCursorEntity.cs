namespace Mailroom.Storage.Model;

/// <summary>How far a consumer inside Mailroom (the webhook dispatcher) has read the event log.</summary>
internal sealed class EventCursorEntity
{
    public required string Name { get; set; }
    public long Position { get; set; }
}

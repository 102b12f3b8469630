namespace Mailroom.Storage.Model;

/// <summary>One POST of a delivery, for the delivery log.</summary>
internal sealed class WebhookAttemptEntity
{
    public long Id { get; set; }
    public long DeliveryId { get; set; }
    public int Attempt { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public int DurationMs { get; set; }
    public bool Succeeded { get; set; }
    public int? StatusCode { get; set; }
    public string? Error { get; set; }
}

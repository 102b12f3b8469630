namespace Mailroom.Storage.Model;

/// <summary>A webhook subscription of an organization.</summary>
internal sealed class WebhookSubscriptionEntity
{
    public long Id { get; set; }
    public long OrganizationId { get; set; }
    public required string Url { get; set; }

    /// <summary>The signing secret, encrypted (<c>SecretPurposes.WebhookSecret</c>).</summary>
    public required string ProtectedSecret { get; set; }

    /// <summary>Type filters separated by single spaces; empty for every type.</summary>
    public required string EventTypes { get; set; }

    /// <summary>The highest event id when it was created: only later events are delivered.</summary>
    public long StartEventId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

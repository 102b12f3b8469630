namespace Mailroom.Core.Connectors;

/// <summary>A Graph change-notification subscription (microsoft.graph.subscription), as Graph answers it.</summary>
/// <param name="Id">Its id, which every notification names.</param>
/// <param name="Resource">What it watches (<c>me/messages</c>, <c>users/{address}/messages</c>).</param>
/// <param name="NotificationUrl">Where Graph posts the notifications.</param>
/// <param name="ExpirationDateTime">When Graph drops it unless it is renewed.</param>
public sealed record GraphSubscription(string Id, string Resource, string NotificationUrl, DateTimeOffset ExpirationDateTime);

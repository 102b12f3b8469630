namespace Mailroom.Core.Sync.Graph;

/// <summary>Change notifications for Graph mailboxes: where Graph posts them and how subscriptions are kept.</summary>
/// <param name="NotificationUrl">The public URL of <c>serve</c>'s notification endpoint (Graph:NotificationUrl).</param>
/// <param name="Lifetime">How long a subscription is asked for (Graph allows messages up to 10,080 minutes).</param>
/// <param name="RenewBefore">A subscription with less than this left is renewed.</param>
/// <param name="Silence">A mailbox that heard nothing this long runs its delta anyway.</param>
/// <param name="Notifications">The registry the endpoint hands notifications to.</param>
public sealed record GraphPush(string NotificationUrl, TimeSpan Lifetime, TimeSpan RenewBefore, TimeSpan Silence, GraphNotifications Notifications);

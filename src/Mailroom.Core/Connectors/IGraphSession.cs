namespace Mailroom.Core.Connectors;

/// <summary>
/// One authorized client of a mailbox through Microsoft Graph (v1.0, <c>/me</c> or <c>/users/{address}</c>), with
/// immutable ids. Every call has a deadline, shares the mailbox's limit of concurrent requests, is retried on 429 and
/// 503/504 (after Retry-After), and classifies what it cannot overcome as <see cref="ConnectorException"/>.
/// </summary>
public interface IGraphSession : IAsyncDisposable
{
    /// <summary>Counters of what went over the wire (bodies, bytes, HTTP requests).</summary>
    SessionCounters Counters { get; }

    /// <summary>Every mail folder of the mailbox, hidden ones included (mailFolders/delta, every page).</summary>
    Task<IReadOnlyList<GraphFolder>> ListFoldersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The ids of the well-known folders the mailbox has (GET mailFolders/{name}), by well-known name
    /// (<see cref="GraphWellKnownFolders.All"/>). Graph v1.0 has no wellKnownName property: the name is only an alias.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> GetWellKnownFolderIdsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// One page of a folder's message delta: from the start when <paramref name="link"/> is null, else from the
    /// <c>@odata.nextLink</c> or <c>@odata.deltaLink</c> a previous page gave. Null when Graph no longer knows the
    /// delta token (410 Gone, or a sync state it refuses): the folder must be reconciled.
    /// </summary>
    Task<GraphDeltaPage?> GetMessageDeltaAsync(string folderId, string? link, CancellationToken cancellationToken);

    /// <summary>
    /// The MIME of up to 20 messages in one $batch request, in the order asked; null for one that is gone. Requests
    /// throttled inside the batch are sent again.
    /// </summary>
    Task<IReadOnlyList<byte[]?>> GetMimeBatchAsync(IReadOnlyList<string> messageIds, CancellationToken cancellationToken);

    /// <summary>The message's MIME (GET messages/{id}/$value); null when it is gone.</summary>
    Task<byte[]?> GetMimeAsync(string messageId, CancellationToken cancellationToken);

    /// <summary>
    /// POST sendMail with the MIME message, base64, as text/plain. Exchange files the Sent copy itself. Graph's answer
    /// is the outcome: 202 accepted, throttling or a service failure temporary, any other refusal permanent.
    /// </summary>
    Task<Sending.SmtpOutcome> SendMimeAsync(ReadOnlyMemory<byte> mime, CancellationToken cancellationToken);

    /// <summary>What a subscription on the mailbox's messages watches: <c>me/messages</c> or <c>users/{address}/messages</c>.</summary>
    string SubscriptionResource { get; }

    /// <summary>This application's subscriptions that Graph holds for the caller (GET subscriptions, every page).</summary>
    Task<IReadOnlyList<GraphSubscription>> ListSubscriptionsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// POST subscriptions on <see cref="SubscriptionResource"/> (created, updated, deleted) with the clientState; lifecycle
    /// events go to the same URL. Graph validates the URL (validationToken) before it answers.
    /// </summary>
    Task<GraphSubscription> CreateSubscriptionAsync(string notificationUrl, string clientState, DateTimeOffset expires, CancellationToken cancellationToken);

    /// <summary>PATCH the subscription's expiry; null when Graph no longer has it.</summary>
    Task<DateTimeOffset?> RenewSubscriptionAsync(string subscriptionId, DateTimeOffset expires, CancellationToken cancellationToken);

    /// <summary>POST subscriptions/{id}/reauthorize (after lifecycle reauthorizationRequired); false when Graph no longer has it.</summary>
    Task<bool> ReauthorizeSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken);

    /// <summary>DELETE the subscription (gone already is fine).</summary>
    Task DeleteSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken);
}

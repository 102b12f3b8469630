namespace Mailroom.Server;

/// <summary>Log messages of the server. Event ids: 2000–2099 sync, 3000–3099 send, 4000–4099 webhooks, 5000–5099 host and API, 6000–6099 console sign-in, 6100–6199 search.</summary>
internal static partial class Log
{
    [LoggerMessage(2000, LogLevel.Information, "Sync of {Mailbox} started")]
    public static partial void SyncStarted(ILogger logger, string mailbox);

    [LoggerMessage(2001, LogLevel.Information, "Sync of {Mailbox} finished: {Messages} messages fetched in {Seconds:F1} s")]
    public static partial void SyncFinished(ILogger logger, string mailbox, long messages, double seconds);

    [LoggerMessage(2002, LogLevel.Warning, "Sync of {Mailbox} failed ({Kind}): {Reason}")]
    public static partial void SyncFailed(ILogger logger, string mailbox, string kind, string reason);

    [LoggerMessage(2003, LogLevel.Error, "Sync of {Mailbox} crashed")]
    public static partial void SyncCrashed(ILogger logger, string mailbox, Exception exception);

    // The state as `status`, the API and /health name it (error, auth_failed, needs_reauth), not the worker's own enum.
    [LoggerMessage(2004, LogLevel.Warning, "Mailbox {Mailbox} is {State}: {Reason}")]
    public static partial void WorkerState(ILogger logger, string mailbox, string state, string reason);

    [LoggerMessage(2006, LogLevel.Information, "Mailbox {Mailbox} is {Address}: the From of most of its Sent messages")]
    public static partial void AddressLearned(ILogger logger, string mailbox, string address);

    [LoggerMessage(3000, LogLevel.Information, "Outbox: {Sent} sent, {Retrying} to retry, {Failed} failed, {Copies} Sent copies filed, {CopyErrors} copy errors")]
    public static partial void OutboxPass(ILogger logger, int sent, int retrying, int failed, int copies, int copyErrors);

    [LoggerMessage(3001, LogLevel.Error, "Outbox pass failed")]
    public static partial void OutboxFailed(ILogger logger, Exception exception);

    [LoggerMessage(4000, LogLevel.Error, "Webhook pass failed")]
    public static partial void WebhookPassFailed(ILogger logger, Exception exception);

    // The host only: a webhook URL may carry a token in its path or query.
    [LoggerMessage(4001, LogLevel.Information, "Webhook delivery {Delivery} to {Host}, attempt {Attempt}, failed: {Error}; next attempt at {Next:O}")]
    public static partial void WebhookRetrying(ILogger logger, long delivery, string host, int attempt, string error, DateTimeOffset next);

    [LoggerMessage(4002, LogLevel.Warning, "Webhook delivery {Delivery} to {Host} failed for good after attempt {Attempt}: {Error}")]
    public static partial void WebhookFailed(ILogger logger, long delivery, string host, int attempt, string error);

    [LoggerMessage(2005, LogLevel.Information, "Mailbox {Mailbox} is ok (was {Previous})")]
    public static partial void WorkerOk(ILogger logger, string mailbox, string previous);

    [LoggerMessage(5000, LogLevel.Information, "Mailroom listening on {Urls} with data in {DataPath}")]
    public static partial void Listening(ILogger logger, string urls, string dataPath);

    [LoggerMessage(5001, LogLevel.Information, "Mailroom started: {Mailboxes} mailboxes, {Attention} of them failing or waiting for a person")]
    public static partial void Started(ILogger logger, int mailboxes, int attention);

    [LoggerMessage(5002, LogLevel.Information, "Mailroom stopping")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(5003, LogLevel.Information, "Mailroom stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(5010, LogLevel.Information, "HTTP {Method} {Path} {StatusCode} in {Milliseconds:F1} ms")]
    public static partial void Request(ILogger logger, string method, string path, int statusCode, double milliseconds);

    [LoggerMessage(2300, LogLevel.Debug, "Gmail push for {Address}: history {HistoryId}")]
    public static partial void GmailPushReceived(ILogger logger, string address, ulong historyId);

    [LoggerMessage(2302, LogLevel.Warning, "Mailbox {Mailbox} is removed, but its Gmail watch could not be stopped (it expires by itself): {Reason}")]
    public static partial void PushStopFailed(ILogger logger, string mailbox, string reason);

    [LoggerMessage(2310, LogLevel.Debug, "Graph notification of subscription {SubscriptionId}: {Event}")]
    public static partial void GraphNotification(ILogger logger, string subscriptionId, string @event);

    [LoggerMessage(2311, LogLevel.Warning, "Graph notification of subscription {SubscriptionId} ignored: {Reason}")]
    public static partial void GraphNotificationIgnored(ILogger logger, string subscriptionId, string reason);

    [LoggerMessage(2301, LogLevel.Warning, "Gmail push: pulling the Pub/Sub subscription failed: {Reason}; the mailboxes are polled meanwhile")]
    public static partial void GmailPushFailed(ILogger logger, string reason);

    // The name someone typed, never the password; a name that is no user is logged as such (it may be a mistyped password).
    [LoggerMessage(6000, LogLevel.Information, "Console user {User} signed in")]
    public static partial void SignedIn(ILogger logger, string user);

    [LoggerMessage(6001, LogLevel.Warning, "Console sign-in refused for user {User}: {Reason}")]
    public static partial void SignInRefused(ILogger logger, string user, string reason);

    [LoggerMessage(6002, LogLevel.Warning, "Console sign-in refused for a name that is no user")]
    public static partial void SignInUnknown(ILogger logger);

    [LoggerMessage(6003, LogLevel.Warning, "Console user {User} is locked out until {Until:O} after repeated failed sign-ins")]
    public static partial void LockedOut(ILogger logger, string user, DateTimeOffset until);

    [LoggerMessage(6004, LogLevel.Information, "Console: sign in at {Url}")]
    public static partial void ConsoleAt(ILogger logger, string url);

    [LoggerMessage(6005, LogLevel.Warning, "Console: no users yet. Create the first: mailroom user add NAME --role admin (it reads the password from standard input), then sign in at {Url}")]
    public static partial void NoConsoleUsers(ILogger logger, string url);

    [LoggerMessage(6006, LogLevel.Information, "Console user {User} signed in through OpenID Connect")]
    public static partial void OpenIdSignedIn(ILogger logger, string user);

    [LoggerMessage(6007, LogLevel.Information, "Console user {User} added to organization {Organization} as {Role} at their first OpenID Connect sign-in")]
    public static partial void OpenIdProvisioned(ILogger logger, string user, string organization, string role);

    // The provider's subject (an opaque id), never a token.
    [LoggerMessage(6008, LogLevel.Warning, "OpenID Connect sign-in of subject {Subject} refused: {Reason}")]
    public static partial void OpenIdRefused(ILogger logger, string subject, string reason);

    [LoggerMessage(6009, LogLevel.Warning, "OpenID Connect sign-in failed at the provider's answer: {Reason}")]
    public static partial void OpenIdFailed(ILogger logger, string reason);

    [LoggerMessage(6010, LogLevel.Information, "Console admin {Admin}: {Action} user {User}")]
    public static partial void UserManaged(ILogger logger, string admin, string action, string user);

    [LoggerMessage(6100, LogLevel.Information, "Search index backfill: {Indexed} messages stored before the index indexed in {Seconds:F1} s")]
    public static partial void SearchBackfilled(ILogger logger, long indexed, double seconds);

    [LoggerMessage(6101, LogLevel.Warning, "Search index backfill failed; retrying in {Delay}")]
    public static partial void SearchBackfillFailed(ILogger logger, TimeSpan delay, Exception exception);
}

using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.Ews;

/// <summary>EWS response codes and SOAP faults as Core's error kinds, decided here once.</summary>
internal static class EwsErrors
{
    /// <summary>Exchange is busy or throttling: the same request succeeds later (ErrorServerBusy names the wait).</summary>
    public static bool IsRetryable(EwsStatus status) => status.ResponseCode is
        "ErrorServerBusy" or "ErrorExceededConnectionCount" or "ErrorTimeoutExpired" or "ErrorInternalServerTransientError"
        or "ErrorMailboxStoreUnavailable" or "ErrorConnectionFailed" or "ErrorMailboxMoveInProgress" or "ErrorBatchProcessingStopped"
        or "ErrorExceededSubscriptionCount" or "ErrorTooManyObjectsOpened";

    /// <summary>Of the retryable codes, those Exchange answers before doing any work: the only ones a send may retry
    /// (a send that timed out inside Exchange may have gone out).</summary>
    public static bool IsRefusedBeforeWork(EwsStatus status) => status.ResponseCode is "ErrorServerBusy" or "ErrorExceededConnectionCount";

    /// <summary>The sync state is corrupt, from another folder, or too old: start the folder over (without re-downloading).</summary>
    public static bool IsInvalidSyncState(EwsStatus status) => status.ResponseCode is "ErrorInvalidSyncStateData";

    /// <summary>The item went away between the change and the fetch: skip it.</summary>
    public static bool IsItemGone(EwsStatus status) => status.ResponseCode is "ErrorItemNotFound" or "ErrorMessageNotFound";

    /// <summary>A distinguished folder the mailbox does not have (a mailbox without an archive): not an error.</summary>
    public static bool IsFolderAbsent(EwsStatus status) => status.ResponseCode is "ErrorFolderNotFound" or "ErrorItemNotFound";

    /// <summary>What no retry mends: a person has to change the settings or the server.</summary>
    public static ConnectorErrorKind KindOf(EwsStatus status) => status.ResponseCode switch
    {
        _ when IsRetryable(status) => ConnectorErrorKind.Transient,
        "ErrorAccessDenied" or "ErrorNonExistentMailbox" or "ErrorImpersonateUserDenied" or "ErrorImpersonationDenied"
            or "ErrorInvalidServerVersion" or "ErrorSchemaValidation" or "ErrorInvalidRequest" or "ErrorMailboxConfiguration"
            or "ErrorNoRespondingCASInDestinationSite" or "ErrorInvalidSmtpAddress" => ConnectorErrorKind.Misconfigured,
        _ => ConnectorErrorKind.CommandFailed,
    };

    public static ConnectorException ToException(EwsStatus status, string what) =>
        new(KindOf(status), $"EWS {what}: {status}");
}

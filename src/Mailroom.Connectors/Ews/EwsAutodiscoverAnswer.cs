namespace Mailroom.Connectors.Ews;

/// <summary>
/// What a POX Autodiscover answer says: the EWS URL (Action settings), another address to ask about
/// (redirectAddr), another Autodiscover URL to ask (redirectUrl), or an error.
/// </summary>
public sealed record EwsAutodiscoverAnswer(Uri? EwsUrl, string? RedirectAddress, Uri? RedirectUrl, string? Error)
{
    /// <summary>The display name Exchange has for the user, when it gave one.</summary>
    public string? DisplayName { get; init; }
}

namespace Mailroom.Core.Connectors;

/// <summary>How a connector failure is handled, decided once at the connector boundary.</summary>
public enum ConnectorErrorKind
{
    /// <summary>Network trouble, a dropped connection, a server restart: reconnect with backoff.</summary>
    Transient = 0,

    /// <summary>The server refused one command (NO/BAD): skip that item and go on.</summary>
    CommandFailed = 1,

    /// <summary>The credentials were refused: stop and mark the account.</summary>
    AuthenticationFailed = 2,

    /// <summary>The server lacks something required (STARTTLS, a capability) or the settings are wrong: stop and report.</summary>
    Misconfigured = 3,

    /// <summary>
    /// The OAuth grant was revoked or has expired (the provider answered invalid_grant, or a login with a freshly
    /// refreshed token was refused): stop, and do not retry until a person authorizes the mailbox again.
    /// </summary>
    ReauthorizationRequired = 4,
}

namespace Mailroom.Connectors.Discovery;

/// <summary>Which OAuth2 authorization server a provider's mailboxes use; <see cref="None"/> means a password (or app password).</summary>
public enum OAuthKind
{
    None,
    Google,
    Microsoft,
}

using Mailroom.Core.Connectors;

namespace Mailroom.Core.Accounts;

/// <summary>The rules that read or choose a <see cref="MailboxState"/>.</summary>
public static class MailboxStates
{
    /// <summary>The state a sync failure of this kind leaves the mailbox in.</summary>
    public static MailboxState For(ConnectorErrorKind kind) => kind switch
    {
        ConnectorErrorKind.AuthenticationFailed => MailboxState.AuthFailed,
        ConnectorErrorKind.ReauthorizationRequired => MailboxState.NeedsReauth,
        _ => MailboxState.Error,
    };

    /// <summary>States in which no worker should try again by itself.</summary>
    public static bool NeedsPerson(this MailboxState state) => state is MailboxState.AuthFailed or MailboxState.NeedsReauth;

    /// <summary>States that count as failing for /health.</summary>
    public static bool IsFailing(this MailboxState state) => state is MailboxState.Error || state.NeedsPerson();
}

using Mailroom.Connectors.Imap;
using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.Tests.Imap.Sessions;

/// <summary>
/// Where a scenario of <see cref="DovecotScenarios"/> runs: against the test Dovecot through a recording proxy (the
/// recorder, which also makes each named change on the server), or against the scripted server replaying that
/// recording (the tests, where a change is already in the recorded replies and does nothing).
/// </summary>
internal interface IImapScenarioHost
{
    /// <summary>A session of the real <see cref="ImapConnector"/> as user <see cref="DovecotScenarios.User"/>.</summary>
    Task<IMailboxSession> ConnectAsync(ImapConnectorOptions options, string password, CancellationToken cancellationToken);

    /// <summary>Another client changes the mailbox (the recorder does it on the server; a replay already has it).</summary>
    Task ChangeServerAsync(string change, CancellationToken cancellationToken);
}

using Mailroom.Connectors.Imap;
using Mailroom.Connectors.Tests.Imap.Sessions;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.TestSupport.Imap;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mailroom.Connectors.Tests.Imap.Replay;

/// <summary>
/// Runs a scenario of <see cref="DovecotScenarios"/> against the scripted server replaying its recording: the real
/// connector over loopback TCP, no Dovecot, no root. Changes other clients made are already in the recorded replies.
/// </summary>
internal sealed class ReplayHost(ScriptedImapServer server) : IImapScenarioHost
{
    /// <summary>The changes the scenario asked for, in order.</summary>
    public List<string> Changes { get; } = [];

    public Task<IMailboxSession> ConnectAsync(ImapConnectorOptions options, string password, CancellationToken cancellationToken)
    {
        var settings = new MailboxSettings
        {
            Host = "127.0.0.1",
            Port = server.Port,
            UserName = DovecotScenarios.User,
            Security = TransportSecurity.None,
            AllowPlaintext = true,
        };
        // A replay answers at once; a short command deadline turns a script that waits for something into a quick failure.
        options.CommandTimeout = TimeSpan.FromSeconds(30);
        return new ImapConnector(NullLogger<ImapConnector>.Instance, options)
            .ConnectAsync(settings, MailboxCredential.Password(password), cancellationToken);
    }

    public Task ChangeServerAsync(string change, CancellationToken cancellationToken)
    {
        Changes.Add(change);
        return Task.CompletedTask;
    }

    /// <summary>A recorded transcript from the output folder (Imap/Recordings/dovecot/NAME.txt).</summary>
    public static ImapTranscript Load(string name) =>
        ImapTranscript.Load(Path.Combine(AppContext.BaseDirectory, "Imap", "Recordings", "dovecot", name + ".txt"));
}

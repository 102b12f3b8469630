using Mailroom.Connectors.Tests.Imap.Sessions;
using Mailroom.Core.Connectors;
using Mailroom.TestSupport.Imap;
using MailKit;
using MailKit.Net.Imap;
using MessageFlags = Mailroom.Core.Connectors.MessageFlags;

namespace Mailroom.Connectors.Tests.Imap.Replay;

/// <summary>
/// The real IMAP connector against sessions recorded from the test Dovecot (Imap/Recordings/dovecot): what it reports
/// (UIDs, flags, vanished UIDs, announcements, error kinds) from what that server really answered. Each test also fails
/// when the connector sends a line the recording does not have next.
/// </summary>
public sealed class DovecotReplayTests
{
    // Any password: the recordings have it redacted, and the scripted server accepts any token there.
    private const string Password = "replayed";

    [Fact]
    public async Task Qresync_reconnect_reports_vanished_uids_flag_changes_and_arrivals_since_the_checkpoint()
    {
        var (result, host) = await ReplayAsync("qresync", DovecotScenarios.QresyncAsync);

        Assert.Equal(ChangeTracking.QResync, result.Tracking);
        Assert.Equal(5, result.Before.Count);
        Assert.Equal(6u, result.Before.UidNext);
        Assert.Equal([1u, 2u, 3u, 4u, 5u], result.StatesBefore.Select(s => s.Uid));
        Assert.All(result.StatesBefore, s => Assert.Equal(MessageFlags.None, s.Flags));

        Assert.Equal(result.Before.UidValidity, result.After.UidValidity);
        Assert.Equal(4, result.After.Count);
        Assert.Equal(7u, result.After.UidNext);
        Assert.True(result.After.HighestModSeq > result.Before.HighestModSeq);
        // VANISHED (EARLIER) 2,4: the expunges, which CHANGEDSINCE alone could not report.
        Assert.Equal([2u, 4u], result.Changes.Vanished);
        Assert.Equal([(3u, MessageFlags.Flagged), (6u, MessageFlags.None)], result.Changes.Changed.Select(s => (s.Uid, s.Flags)));
        Assert.All(result.Changes.Changed, s => Assert.Empty(s.Keywords));
        Assert.Equal([1u, 3u, 5u, 6u], result.UidsAfter);
        Assert.Equal([DovecotScenarios.ExpungeFlagAndAppend], host.Changes);
    }

    [Fact]
    public async Task Condstore_without_qresync_reports_flag_and_keyword_changes_but_no_expunges()
    {
        var (result, _) = await ReplayAsync("condstore", DovecotScenarios.CondstoreAsync);

        Assert.Equal(ChangeTracking.CondStore, result.Tracking);
        Assert.Equal([1u, 2u, 3u, 4u], result.StatesBefore.Select(s => s.Uid));
        Assert.Null(result.Changes.Vanished);
        Assert.Collection(result.Changes.Changed,
            s =>
            {
                Assert.Equal(1u, s.Uid);
                Assert.Equal(MessageFlags.Seen, s.Flags);
                Assert.Empty(s.Keywords);
            },
            s =>
            {
                Assert.Equal(2u, s.Uid);
                Assert.Equal(MessageFlags.Flagged, s.Flags);
                Assert.Equal(["$Forwarded"], s.Keywords);
            });
        // The expunge of UID 3 shows only in the full UID list, which is how CONDSTORE-only sync finds it.
        Assert.Equal(3, result.After.Count);
        Assert.Equal([1u, 2u, 4u], result.UidsAfter);
    }

    [Fact]
    public async Task Notify_reports_a_change_in_another_folder_and_idle_one_in_the_folder_waited_in()
    {
        var (result, host) = await ReplayAsync("notify", DovecotScenarios.NotifyAsync);

        Assert.True(result.WatchesAllFolders);
        Assert.Equal([DovecotScenarios.NotifyOtherFolder], result.OtherFolderChanged);
        Assert.Equal([DovecotScenarios.NotifyFolder], result.SameFolderChanged);
        Assert.Equal([DovecotScenarios.AppendToOther, DovecotScenarios.AppendToSame], host.Changes);
    }

    [Fact]
    public async Task A_refused_login_is_an_authentication_failure()
    {
        var (error, _) = await ReplayAsync("wrong-password", DovecotScenarios.WrongPasswordAsync);

        Assert.Equal(ConnectorErrorKind.AuthenticationFailed, error.Kind);
        Assert.IsType<MailKit.Security.AuthenticationException>(error.InnerException);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_folder_and_one_deleted_before_examine_fail_the_command_only()
    {
        var ((missing, gone), _) = await ReplayAsync("missing-folders", DovecotScenarios.MissingFoldersAsync);

        Assert.Equal(ConnectorErrorKind.CommandFailed, missing.Kind);
        Assert.IsType<FolderNotFoundException>(missing.InnerException);
        // Dovecot's NO to EXAMINE of a folder deleted after LIST found it.
        Assert.Equal(ConnectorErrorKind.CommandFailed, gone.Kind);
        var refused = Assert.IsType<ImapCommandException>(gone.InnerException);
        Assert.Equal(ImapCommandResponse.No, refused.Response);
        Assert.Contains("Mailbox doesn't exist", refused.ResponseText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bye_from_the_server_mid_session_is_transient()
    {
        var ((opened, error), host) = await ReplayAsync("bye", DovecotScenarios.ByeAsync);

        Assert.Equal(2, opened.Count);
        Assert.Equal(ConnectorErrorKind.Transient, error.Kind);
        Assert.Equal([DovecotScenarios.Kick], host.Changes);
    }

    [Fact]
    public async Task A_connector_that_sends_another_command_than_recorded_fails_the_replay()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = new ScriptedImapServer(ReplayHost.Load("qresync"));
        var host = new ReplayHost(server);

        // The CONDSTORE scenario does not enable QRESYNC, so it departs from the QRESYNC recording at its fifth command.
        await Assert.ThrowsAnyAsync<Exception>(() => DovecotScenarios.CondstoreAsync(host, Password, ct));
        var failure = await Assert.ThrowsAnyAsync<Exception>(server.AssertCompletedAsync);
        Assert.Contains("expected \"ENABLE QRESYNC CONDSTORE\", received \"LIST \"\" Replay/Condstore", failure.Message, StringComparison.Ordinal);
    }

    private static async Task<(T Result, ReplayHost Host)> ReplayAsync<T>(
        string recording, Func<IImapScenarioHost, string, CancellationToken, Task<T>> scenario)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = new ScriptedImapServer(ReplayHost.Load(recording));
        var host = new ReplayHost(server);
        var result = await scenario(host, Password, ct);
        await server.AssertCompletedAsync();
        return (result, host);
    }
}

using Mailroom.Connectors.Imap;
using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.Tests.Imap.Sessions;

/// <summary>
/// The IMAP sessions recorded from the test Dovecot (Recordings/dovecot/*.txt): each runs the real connector, and the
/// very same code runs again against the scripted server in the replay tests, so a recording can only be replayed by
/// a connector that sends what the recorded one sent. Folders live under <see cref="Root"/> of <see cref="User"/>, a
/// test user no other test logs in as; the recorder recreates them before each scenario.
/// </summary>
internal static class DovecotScenarios
{
    public const string User = "mr20";
    public const string Root = "Replay";
    public const string QresyncFolder = Root + "/Qresync";
    public const string CondstoreFolder = Root + "/Condstore";
    public const string NotifyFolder = Root + "/Notify";
    public const string NotifyOtherFolder = Root + "/NotifyOther";
    public const string ByeFolder = Root + "/Bye";
    public const string GoneFolder = Root + "/Gone";
    public const string MissingFolder = Root + "/Missing";

    // Changes the recorder makes between two steps (ImapSessionRecorder.ChangeAsync).
    public const string ExpungeFlagAndAppend = "expunge UIDs 2 and 4, flag UID 3 \\Flagged, append one message";
    public const string FlagKeywordAndExpunge = "set \\Seen on UID 1, \\Flagged and $Forwarded on UID 2, expunge UID 3";
    public const string AppendToOther = "append one message to " + NotifyOtherFolder;
    public const string AppendToSame = "append one message to " + NotifyFolder;
    public const string Kick = "doveadm kick " + User;

    /// <summary>QRESYNC: read a folder of five, reconnect after expunges, a flag change and an arrival, fetch CHANGEDSINCE.</summary>
    public static Task<ResyncResult> QresyncAsync(IImapScenarioHost host, string password, CancellationToken ct) =>
        ResyncAsync(host, password, new ImapConnectorOptions(), QresyncFolder, ExpungeFlagAndAppend, ct);

    /// <summary>CONDSTORE without QRESYNC: the same shape, where CHANGEDSINCE cannot report expunges.</summary>
    public static Task<ResyncResult> CondstoreAsync(IImapScenarioHost host, string password, CancellationToken ct) =>
        ResyncAsync(host, password, new ImapConnectorOptions { UseQuickResync = false }, CondstoreFolder, FlagKeywordAndExpunge, ct);

    /// <summary>Reads <paramref name="folder"/>, lets <paramref name="change"/> happen offline, reconnects and asks what changed.</summary>
    private static async Task<ResyncResult> ResyncAsync(
        IImapScenarioHost host, string password, ImapConnectorOptions options, string folder, string change, CancellationToken ct)
    {
        FolderStatus before;
        IReadOnlyList<RemoteMessageState> states;
        ChangeTracking tracking;
        await using (var session = await host.ConnectAsync(options, password, ct))
        {
            tracking = session.ChangeTracking;
            before = await session.OpenFolderAsync(folder, ct);
            states = await session.FetchStatesAsync(ct);
        }

        await host.ChangeServerAsync(change, ct);
        await using (var session = await host.ConnectAsync(options, password, ct))
        {
            var after = await session.OpenFolderAsync(folder, ct);
            var changes = await session.FetchChangesAsync(before.HighestModSeq!.Value, ct);
            var uids = await session.SearchUidsAsync(ct);
            return new ResyncResult(tracking, before, states, after, changes, uids);
        }
    }

    /// <summary>
    /// NOTIFY and IDLE: list the folders, wait in one while a message arrives in another (a NOTIFY STATUS update),
    /// then wait again while one arrives in the folder itself (an IDLE EXISTS).
    /// </summary>
    public static async Task<WaitResult> NotifyAsync(IImapScenarioHost host, string password, CancellationToken ct)
    {
        await using var session = await host.ConnectAsync(new ImapConnectorOptions(), password, ct);
        await session.ListFoldersAsync(ct);

        var other = session.WaitForChangesAsync(NotifyFolder, TimeSpan.FromSeconds(60), ct);
        await host.ChangeServerAsync(AppendToOther, ct);
        var otherChanged = await other;

        var same = session.WaitForChangesAsync(NotifyFolder, TimeSpan.FromSeconds(60), ct);
        await host.ChangeServerAsync(AppendToSame, ct);
        var sameChanged = await same;
        return new WaitResult(session.WatchesAllFolders, otherChanged, sameChanged);
    }

    /// <summary>A login with a wrong password.</summary>
    public static async Task<ConnectorException> WrongPasswordAsync(IImapScenarioHost host, string wrongPassword, CancellationToken ct)
    {
        try
        {
            await using var session = await host.ConnectAsync(new ImapConnectorOptions(), wrongPassword, ct);
        }
        catch (ConnectorException ex)
        {
            return ex;
        }
        throw new InvalidOperationException("The login with a wrong password succeeded.");
    }

    /// <summary>Opening a folder that does not exist (LIST finds nothing), then one that LIST found but is deleted before EXAMINE (NO).</summary>
    public static async Task<(ConnectorException Missing, ConnectorException Gone)> MissingFoldersAsync(
        IImapScenarioHost host, string password, CancellationToken ct)
    {
        await using var session = await host.ConnectAsync(new ImapConnectorOptions(), password, ct);
        var missing = await FailsAsync(() => session.OpenFolderAsync(MissingFolder, ct));
        var gone = await FailsAsync(() => session.OpenFolderAsync(GoneFolder, ct));
        return (missing, gone);
    }

    /// <summary>The server says BYE and closes (an administrator kicks the user) while a folder is open; then a fetch.</summary>
    public static async Task<(FolderStatus Opened, ConnectorException Error)> ByeAsync(IImapScenarioHost host, string password, CancellationToken ct)
    {
        await using var session = await host.ConnectAsync(new ImapConnectorOptions(), password, ct);
        var opened = await session.OpenFolderAsync(ByeFolder, ct);
        await host.ChangeServerAsync(Kick, ct);
        return (opened, await FailsAsync(() => session.FetchStatesAsync(ct)));
    }

    private static async Task<ConnectorException> FailsAsync<T>(Func<Task<T>> call)
    {
        try
        {
            await call();
        }
        catch (ConnectorException ex)
        {
            return ex;
        }
        throw new InvalidOperationException("The call succeeded where the scenario expects a failure.");
    }
}

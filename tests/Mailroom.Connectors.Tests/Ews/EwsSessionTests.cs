using Mailroom.Core.Accounts;
using System.Diagnostics;
using System.Text;
using Mailroom.Connectors.Ews;
using Mailroom.Core.Connectors;
using Mailroom.TestSupport.Ews;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mailroom.Connectors.Tests.Ews;

/// <summary>The EWS session against the stateful fake over HTTPS (test CA), every request and answer held to the XSDs.</summary>
public sealed class EwsSessionTests
{
    private const string User = "mr1@mailroom.test";
    private const string Password = "s3cret-ews";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Mime(int n, string? body = null) => Encoding.ASCII.GetBytes(
        $"Message-ID: <m{n}@mailroom.test>\r\nFrom: a@mailroom.test\r\nTo: mr1@mailroom.test\r\nSubject: message {n}\r\n\r\n{body ?? "hello " + n}\r\n");

    private static (EwsConnector, EwsAccount) Connector(FakeEwsServer server, EwsOptions? options = null, string password = Password) =>
        (new EwsConnector((options ?? new EwsOptions()).Validate(), TimeProvider.System, NullLogger<EwsConnector>.Instance),
         new EwsAccount(server.Url, User, password, EwsAuthentication.Basic, FakeEwsServer.TestCa));

    private static async Task<(string State, List<EwsItemChange> Changes, int Pages)> SyncAllAsync(IEwsSession session, string folderId, string? state)
    {
        var changes = new List<EwsItemChange>();
        var pages = 0;
        while (true)
        {
            var page = await session.SyncFolderItemsAsync(folderId, state, Ct) ?? throw new InvalidOperationException("invalid sync state");
            pages++;
            changes.AddRange(page.Changes);
            state = page.SyncState;
            if (page.IncludesLastItemInRange)
                return (state, changes, pages);
        }
    }

    [Fact]
    public async Task First_sync_pages_the_changes_and_fetches_MIME_in_batches_then_an_unchanged_folder_costs_one_request()
    {
        var mailbox = new FakeEwsMailbox();
        var inbox = mailbox.FolderId("inbox");
        for (var i = 1; i <= 7; i++)
            mailbox.Deliver(inbox, Mime(i));
        await using var server = await FakeEwsServer.StartAsync(mailbox, User, Password, Ct);
        var (connector, account) = Connector(server, new EwsOptions { MaxChangesReturned = 3, GetItemBatchSize = 4 });
        using var _ = connector;
        await using var session = await connector.ConnectAsync(1, account, verify: false, Ct);

        var (state, changes, pages) = await SyncAllAsync(session, inbox, null);
        Assert.Equal(3, pages);
        Assert.Equal(7, changes.Count);
        Assert.All(changes, c => Assert.Equal(EwsChangeKind.Create, c.Kind));
        Assert.Equal(7, changes.Select(c => c.ItemId).Distinct().Count());
        Assert.Equal("<m5@mailroom.test>", changes[4].InternetMessageId);

        var fetched = new List<EwsMimeItem>();
        await session.GetMimeAsync([.. changes.Select(c => c.ItemId)], (item, _) => { fetched.Add(item); return ValueTask.CompletedTask; }, Ct);
        Assert.Equal(7, fetched.Count);
        Assert.Equal(Mime(3), fetched.Single(f => f.InternetMessageId == "<m3@mailroom.test>").Mime);
        Assert.Equal(2, server.Operations.Count(o => o == "GetItem"));
        Assert.Equal(7, session.Counters.BodiesFetched);

        var before = session.Counters.Requests;
        var again = await session.SyncFolderItemsAsync(inbox, state, Ct);
        Assert.NotNull(again);
        Assert.Empty(again.Changes);
        Assert.True(again.IncludesLastItemInRange);
        Assert.Equal(1, session.Counters.Requests - before);
        Assert.Empty(server.Problems);
    }

    [Fact]
    public async Task Changes_of_every_kind_arrive_and_a_move_is_a_delete_here_and_a_create_there_with_the_same_Message_ID()
    {
        var mailbox = new FakeEwsMailbox();
        var (inbox, archive) = (mailbox.FolderId("inbox"), mailbox.FolderId("archive"));
        var ids = Enumerable.Range(1, 4).Select(i => mailbox.Deliver(inbox, Mime(i))).ToList();
        await using var server = await FakeEwsServer.StartAsync(mailbox, User, Password, Ct);
        var (connector, account) = Connector(server);
        using var _ = connector;
        await using var session = await connector.ConnectAsync(1, account, verify: true, Ct);
        var (inboxState, _, _) = await SyncAllAsync(session, inbox, null);
        var (archiveState, archived, _) = await SyncAllAsync(session, archive, null);
        Assert.Empty(archived);

        mailbox.SetRead(ids[0], true);
        mailbox.Touch(ids[1]);
        mailbox.Delete(ids[2]);
        var movedId = mailbox.Move(ids[3], archive);
        var newId = mailbox.Deliver(inbox, Mime(5));

        var (_, changes, _) = await SyncAllAsync(session, inbox, inboxState);
        Assert.Equal(5, changes.Count);
        var read = changes.Single(c => c.ItemId == ids[0]);
        Assert.Equal((EwsChangeKind.ReadFlagChange, true), (read.Kind, read.IsRead));
        Assert.Equal(EwsChangeKind.Update, changes.Single(c => c.ItemId == ids[1]).Kind);
        Assert.Equal(EwsChangeKind.Delete, changes.Single(c => c.ItemId == ids[2]).Kind);
        Assert.Equal(EwsChangeKind.Delete, changes.Single(c => c.ItemId == ids[3]).Kind);
        Assert.Equal(EwsChangeKind.Create, changes.Single(c => c.ItemId == newId).Kind);

        var (_, moved, _) = await SyncAllAsync(session, archive, archiveState);
        var arrived = Assert.Single(moved);
        Assert.Equal((EwsChangeKind.Create, movedId, "<m4@mailroom.test>"), (arrived.Kind, arrived.ItemId, arrived.InternetMessageId));
        Assert.NotEqual(ids[3], movedId);
        Assert.Empty(server.Problems);
    }

    [Fact]
    public async Task An_invalid_sync_state_is_null_and_the_folder_can_start_over()
    {
        var mailbox = new FakeEwsMailbox();
        var inbox = mailbox.FolderId("inbox");
        mailbox.Deliver(inbox, Mime(1));
        await using var server = await FakeEwsServer.StartAsync(mailbox, User, Password, Ct);
        var (connector, account) = Connector(server);
        using var _ = connector;
        await using var session = await connector.ConnectAsync(1, account, verify: false, Ct);
        var (state, _, _) = await SyncAllAsync(session, inbox, null);

        mailbox.InvalidateSyncStates();
        Assert.Null(await session.SyncFolderItemsAsync(inbox, state, Ct));
        var (_, again, _) = await SyncAllAsync(session, inbox, null);
        Assert.Single(again);
        Assert.Empty(server.Problems);
    }

    [Fact]
    public async Task Server_busy_is_waited_out_for_its_BackOffMilliseconds_and_a_storm_beyond_the_retries_is_transient()
    {
        var mailbox = new FakeEwsMailbox();
        await using var server = await FakeEwsServer.StartAsync(mailbox, User, Password, Ct);
        var (connector, account) = Connector(server, new EwsOptions { MaxRetries = 3 });
        using var _ = connector;
        await using var session = await connector.ConnectAsync(1, account, verify: false, Ct);

        server.ServerBusyNext(2, backOffMilliseconds: 150);
        var clock = Stopwatch.StartNew();
        var hierarchy = (await session.SyncFolderHierarchyAsync(null, Ct))!;
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(290), $"waited only {clock.Elapsed}");
        Assert.Equal(3, session.Counters.Requests);
        Assert.Contains(hierarchy.Changes, c => c.Folder is { DisplayName: "Posteingang", IsMail: true });
        Assert.Contains(hierarchy.Changes, c => c.Folder is { FolderClass: "IPF.Appointment", IsMail: false });

        server.ServerBusyNext(4, backOffMilliseconds: 10);
        var storm = await Assert.ThrowsAsync<ConnectorException>(() => session.SyncFolderHierarchyAsync(hierarchy.SyncState, Ct));
        Assert.Equal(ConnectorErrorKind.Transient, storm.Kind);
        Assert.Contains("ErrorServerBusy", storm.Message, StringComparison.Ordinal);
        Assert.Empty((await session.SyncFolderHierarchyAsync(hierarchy.SyncState, Ct))!.Changes);
    }

    [Fact]
    public async Task A_wrong_password_is_a_refused_login_and_no_password_reaches_the_message()
    {
        var mailbox = new FakeEwsMailbox();
        await using var server = await FakeEwsServer.StartAsync(mailbox, User, Password, Ct);
        var (connector, account) = Connector(server, password: "wrong-password");
        using var _ = connector;
        var refused = await Assert.ThrowsAsync<ConnectorException>(() => connector.ConnectAsync(1, account, verify: true, Ct));
        Assert.Equal(ConnectorErrorKind.AuthenticationFailed, refused.Kind);
        Assert.DoesNotContain("wrong-password", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", account.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_http_is_refused_before_any_credential_is_sent()
    {
        var (connector, account) = (new EwsConnector(new EwsOptions(), TimeProvider.System, NullLogger<EwsConnector>.Instance),
            new EwsAccount(new Uri("http://127.0.0.1:9/EWS/Exchange.asmx"), User, Password, EwsAuthentication.Basic, null));
        using var _ = connector;
        var refused = await Assert.ThrowsAsync<ConnectorException>(() => connector.ConnectAsync(1, account, verify: true, Ct));
        Assert.Equal(ConnectorErrorKind.Misconfigured, refused.Kind);
    }

    [Fact]
    public async Task Distinguished_folders_resolve_and_a_missing_archive_is_absent()
    {
        var mailbox = new FakeEwsMailbox(withArchive: false);
        await using var server = await FakeEwsServer.StartAsync(mailbox, User, Password, Ct);
        var (connector, account) = Connector(server);
        using var _ = connector;
        await using var session = await connector.ConnectAsync(1, account, verify: false, Ct);
        var ids = await session.GetDistinguishedFolderIdsAsync(["inbox", "sentitems", "drafts", "archive", "deleteditems", "junkemail"], Ct);
        Assert.Equal(5, ids.Count);
        Assert.False(ids.ContainsKey("archive"));
        Assert.Equal(mailbox.FolderId("sentitems"), ids["sentitems"]);
        Assert.Empty(server.Problems);
    }

    [Fact]
    public async Task Sending_creates_the_item_with_SendAndSaveCopy_and_Exchange_files_the_copy()
    {
        var mailbox = new FakeEwsMailbox();
        await using var server = await FakeEwsServer.StartAsync(mailbox, User, Password, Ct);
        var (connector, account) = Connector(server);
        using var _ = connector;
        await using var session = await connector.ConnectAsync(1, account, verify: false, Ct);
        var mime = Mime(42, new string('x', 200_000));
        await session.SendMimeAsync(mime, Ct);
        Assert.Equal(mime, Assert.Single(server.Sent));
        Assert.Equal(mime, Assert.Single(mailbox.ItemsIn(mailbox.FolderId("sentitems"))).Mime);
        Assert.Empty(server.Problems);
    }
}

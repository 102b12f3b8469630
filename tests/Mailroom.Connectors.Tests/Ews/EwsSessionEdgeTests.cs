using Mailroom.Core.Accounts;
using System.Diagnostics;
using System.Text;
using Mailroom.Connectors.Ews;
using Mailroom.Core.Connectors;
using Mailroom.TestSupport.Ews;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mailroom.Connectors.Tests.Ews;

/// <summary>The EWS session's edges against the fake: folders that change, items gone before their fetch, busy sends, long back-offs.</summary>
public sealed class EwsSessionEdgeTests
{
    private const string User = "mr3@mailroom.test";
    private const string Password = "edge-Pa55";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(FakeEwsServer Server, EwsConnector Connector, IEwsSession Session)> OpenAsync(FakeEwsMailbox mailbox, EwsOptions? options = null)
    {
        var server = await FakeEwsServer.StartAsync(mailbox, User, Password, Ct);
        var connector = new EwsConnector((options ?? new EwsOptions()).Validate(), TimeProvider.System, NullLogger<EwsConnector>.Instance);
        var session = await connector.ConnectAsync(1, new EwsAccount(server.Url, User, Password, EwsAuthentication.Basic, FakeEwsServer.TestCa), verify: false, Ct);
        return (server, connector, session);
    }

    [Fact]
    public async Task The_hierarchy_reports_created_renamed_and_deleted_folders_once()
    {
        var mailbox = new FakeEwsMailbox();
        var (server, connector, session) = await OpenAsync(mailbox);
        await using var _ = server;
        using var __ = connector;
        var first = (await session.SyncFolderHierarchyAsync(null, Ct))!;
        Assert.Equal(mailbox.Folders().Count, first.Changes.Count);
        Assert.All(first.Changes, c => Assert.Equal(EwsChangeKind.Create, c.Kind));
        Assert.All(first.Changes, c => Assert.Equal(mailbox.Root, c.Folder!.ParentId));

        var projects = mailbox.AddFolder(mailbox.FolderId("inbox"), "Projekte");
        mailbox.RenameFolder(mailbox.FolderId("archive"), "Archiv 2026");
        mailbox.DeleteFolder(mailbox.FolderId("junkemail"));
        var junk = first.Changes.Single(c => c.Folder!.DisplayName == "Junk-E-Mail").FolderId;

        var second = (await session.SyncFolderHierarchyAsync(first.SyncState, Ct))!;
        Assert.Equal(3, second.Changes.Count);
        Assert.Contains(second.Changes, c => c is { Kind: EwsChangeKind.Create, Folder.DisplayName: "Projekte" } && c.FolderId == projects && c.Folder.ParentId == mailbox.FolderId("inbox"));
        Assert.Contains(second.Changes, c => c is { Kind: EwsChangeKind.Update, Folder.DisplayName: "Archiv 2026" });
        Assert.Contains(second.Changes, c => c is { Kind: EwsChangeKind.Delete, Folder: null } && c.FolderId == junk);
        Assert.Empty((await session.SyncFolderHierarchyAsync(second.SyncState, Ct))!.Changes);
        Assert.Empty(server.Problems);
    }

    [Fact]
    public async Task An_item_deleted_between_its_change_and_its_fetch_is_skipped_and_the_rest_arrive()
    {
        var mailbox = new FakeEwsMailbox();
        var inbox = mailbox.FolderId("inbox");
        var ids = Enumerable.Range(1, 3).Select(i => mailbox.Deliver(inbox, Encoding.ASCII.GetBytes($"Message-ID: <g{i}@x>\r\n\r\nbody {i}\r\n"))).ToList();
        var (server, connector, session) = await OpenAsync(mailbox);
        await using var _ = server;
        using var __ = connector;
        mailbox.Delete(ids[1]);
        var fetched = new List<string>();
        await session.GetMimeAsync(ids, (item, _) => { fetched.Add(item.ItemId); return ValueTask.CompletedTask; }, Ct);
        Assert.Equal([ids[0], ids[2]], fetched);
        Assert.Equal(1, server.Operations.Count(o => o == "GetItem"));
        Assert.Empty(server.Problems);
    }

    [Fact]
    public async Task A_send_refused_as_busy_is_retried_and_goes_out_once()
    {
        var mailbox = new FakeEwsMailbox();
        var (server, connector, session) = await OpenAsync(mailbox, new EwsOptions { RetryInitial = TimeSpan.FromMilliseconds(10) });
        await using var _ = server;
        using var __ = connector;
        server.ServerBusyNext(2, backOffMilliseconds: 20);
        var mime = "Message-ID: <s1@x>\r\nSubject: once\r\n\r\nbody\r\n"u8.ToArray();
        await session.SendMimeAsync(mime, Ct);
        Assert.Equal(mime, Assert.Single(server.Sent));
        Assert.Equal(3, session.Counters.Requests);
    }

    [Fact]
    public async Task A_BackOffMilliseconds_beyond_the_cap_waits_only_the_cap()
    {
        var mailbox = new FakeEwsMailbox();
        var (server, connector, session) = await OpenAsync(mailbox, new EwsOptions { RetryInitial = TimeSpan.FromMilliseconds(10), RetryCap = TimeSpan.FromMilliseconds(200) });
        await using var _ = server;
        using var __ = connector;
        server.ServerBusyNext(1, backOffMilliseconds: 600_000);
        var clock = Stopwatch.StartNew();
        var ids = await session.GetDistinguishedFolderIdsAsync(["inbox"], Ct);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(190), TimeSpan.FromSeconds(20));
        Assert.Equal(mailbox.FolderId("inbox"), ids["inbox"]);
    }
}

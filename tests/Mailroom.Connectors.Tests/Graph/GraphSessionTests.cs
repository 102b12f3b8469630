using System.Diagnostics;
using System.Text;
using Mailroom.Connectors.Graph;
using Mailroom.Core.Connectors;
using Mailroom.TestSupport.Graph;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mailroom.Connectors.Tests.Graph;

/// <summary>
/// The Graph connector against the stateful fake Graph (held to the official v1.0 CSDL): folders and well-known names,
/// per-folder delta paging and cursors, immutable ids across moves, @removed, expired tokens, $value, sendMail,
/// throttling with Retry-After, one token refresh on 401, and the per-mailbox concurrency limit.
/// </summary>
public sealed class GraphSessionTests : IAsyncDisposable
{
    private const string Address = "recruiter@contoso.test";
    private readonly HashSet<string> _goodTokens = new(StringComparer.Ordinal) { "token-1" };
    private readonly GraphConnector _connector;
    private FakeGraphApi? _api;
    private int _tokensIssued;

    public GraphSessionTests()
    {
        _connector = new GraphConnector(new GraphOptions { BaseUrl = "http://unused", RetryInitial = TimeSpan.FromMilliseconds(20) }, TimeProvider.System,
            NullLogger<GraphConnector>.Instance);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        _connector.Dispose();
        if (_api is not null)
            await _api.DisposeAsync();
    }

    internal static byte[] Mime(int n) => Encoding.ASCII.GetBytes(
        $"From: Sender {n} <sender{n}@example.com>\r\nTo: {Address}\r\nSubject: Message {n}\r\nMessage-ID: <g{n}@example.com>\r\n" +
        $"Date: Thu, 01 Jan 2026 00:00:00 +0000\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nBody {n}.\r\n");

    private async Task<(FakeGraphApi Api, IGraphSession Session)> StartAsync(FakeGraphMailbox mailbox, string? user = null, GraphOptions? options = null)
    {
        RequireCsdl();
        _api = await FakeGraphApi.StartAsync(mailbox, Address, (token, _) => Task.FromResult(_goodTokens.Contains(token)), Ct);
        var opts = options ?? new GraphOptions { RetryInitial = TimeSpan.FromMilliseconds(20) };
        opts.BaseUrl = _api.BaseUrl.ToString();
        var connector = new GraphConnector(opts.Validate(), TimeProvider.System, NullLogger<GraphConnector>.Instance);
        return (_api, connector.Open(1, user, (rejected, _) =>
        {
            _tokensIssued++;
            return Task.FromResult(rejected is null ? "token-1" : "token-2");
        }, canRefresh: true));
    }

    /// <summary>The CSDL is what keeps the fake honest: without it these tests say so instead of passing unchecked.</summary>
    internal static void RequireCsdl()
    {
        if (!GraphCsdl.Available)
            Assert.Skip($"The Graph v1.0 CSDL is absent (../{GraphCsdl.RelativePath}, or MAILROOM_PROVIDERS): the fake Graph cannot be checked.");
    }

    private static async Task<(List<GraphMessageChange> Changes, string DeltaLink, int Pages)> DrainAsync(IGraphSession session, string folderId, string? link)
    {
        var changes = new List<GraphMessageChange>();
        var pages = 0;
        while (true)
        {
            var page = await session.GetMessageDeltaAsync(folderId, link, Ct) ?? throw new InvalidOperationException("expired");
            pages++;
            changes.AddRange(page.Changes);
            if (page.DeltaLink is not null)
                return (changes, page.DeltaLink, pages);
            link = page.NextLink;
        }
    }

    [Fact]
    public async Task Folders_are_listed_with_child_folders_and_roles_come_from_well_known_names_not_display_names()
    {
        var mailbox = new FakeGraphMailbox();
        mailbox.Folder("inbox").DisplayName = "Posteingang";
        mailbox.Folder("sentitems").DisplayName = "Gesendete Elemente";
        var projects = mailbox.AddFolder("Projects");
        var child = mailbox.AddFolder("Sales", projects.Id);
        for (var i = 0; i < 12; i++)
            mailbox.AddFolder($"Extra {i}"); // more than one page of folders
        var (_, session) = await StartAsync(mailbox);

        var folders = await session.ListFoldersAsync(Ct);
        Assert.Equal(20, folders.Count); // 6 well-known + Projects + Sales + 12
        Assert.Contains(folders, f => f.Id == child.Id && f.ParentFolderId == projects.Id && f.DisplayName == "Sales");
        Assert.Contains(folders, f => f.DisplayName == "Posteingang");

        var wellKnown = await session.GetWellKnownFolderIdsAsync(Ct);
        Assert.Equal(6, wellKnown.Count);
        Assert.Equal(mailbox.Folder("inbox").Id, wellKnown[GraphWellKnownFolders.Inbox]);
        Assert.Equal(mailbox.Folder("sentitems").Id, wellKnown[GraphWellKnownFolders.SentItems]);
        Assert.Equal(mailbox.Folder("junkemail").Id, wellKnown[GraphWellKnownFolders.JunkEmail]);
    }

    [Fact]
    public async Task Delta_follows_every_next_link_then_an_unchanged_folder_costs_one_request_and_changes_come_with_flags()
    {
        var mailbox = new FakeGraphMailbox();
        var ids = Enumerable.Range(1, 250).Select(n => mailbox.Add("inbox", Mime(n), "conv-" + (n / 2), DateTimeOffset.UnixEpoch.AddDays(n))).ToList();
        var (api, session) = await StartAsync(mailbox, options: new GraphOptions { DeltaPageSize = 100, RetryInitial = TimeSpan.FromMilliseconds(20) });
        var inbox = mailbox.Folder("inbox").Id;

        var (first, link, pages) = await DrainAsync(session, inbox, null);
        Assert.Equal(3, pages);
        Assert.Equal(250, first.Count);
        Assert.Equal(250, first.Select(c => c.Id).Distinct().Count());
        Assert.All(first, c => Assert.False(c.Removed));
        Assert.Equal("conv-3", first.Single(c => c.Id == ids[6]).ConversationId);

        var before = api.Requests;
        var (none, same, onePage) = await DrainAsync(session, inbox, link);
        Assert.Empty(none);
        Assert.Equal(1, onePage);
        Assert.Equal(before + 1, api.Requests);

        mailbox.Update(ids[0], isRead: true, flagged: true, categories: ["Candidates", "Red category"]);
        mailbox.Delete(ids[1]);
        var added = mailbox.Add("inbox", Mime(251), "conv-x", DateTimeOffset.UtcNow);
        var (changes, _, _) = await DrainAsync(session, inbox, same);
        Assert.Equal(3, changes.Count);
        var flagged = changes.Single(c => c.Id == ids[0]);
        Assert.True(flagged.IsRead);
        Assert.True(flagged.Flagged);
        Assert.Equal(["Candidates", "Red category"], flagged.Categories);
        Assert.True(changes.Single(c => c.Id == ids[1]).Removed);
        Assert.False(changes.Single(c => c.Id == added).Removed);
    }

    [Fact]
    public async Task A_move_keeps_the_immutable_id_removed_from_the_old_folder_and_present_in_the_new()
    {
        var mailbox = new FakeGraphMailbox();
        var id = mailbox.Add("inbox", Mime(1), "c1", DateTimeOffset.UnixEpoch);
        var (_, session) = await StartAsync(mailbox);
        var inbox = mailbox.Folder("inbox").Id;
        var archive = mailbox.Folder("archive").Id;
        var (_, inboxLink, _) = await DrainAsync(session, inbox, null);
        var (empty, archiveLink, _) = await DrainAsync(session, archive, null);
        Assert.Empty(empty);

        mailbox.Move(id, "archive");
        var (fromInbox, _, _) = await DrainAsync(session, inbox, inboxLink);
        var (toArchive, _, _) = await DrainAsync(session, archive, archiveLink);
        Assert.Equal(id, Assert.Single(fromInbox).Id);
        Assert.True(fromInbox[0].Removed);
        Assert.Equal(id, Assert.Single(toArchive).Id);
        Assert.False(toArchive[0].Removed);
        Assert.Equal(Mime(1), await session.GetMimeAsync(id, Ct)); // same id, same message
    }

    [Fact]
    public async Task An_expired_or_invalid_delta_token_is_reported_as_null_not_as_an_error()
    {
        var mailbox = new FakeGraphMailbox();
        mailbox.Add("inbox", Mime(1), "c1", DateTimeOffset.UnixEpoch);
        var (_, session) = await StartAsync(mailbox);
        var inbox = mailbox.Folder("inbox").Id;
        var (_, link, _) = await DrainAsync(session, inbox, null);
        mailbox.Add("inbox", Mime(2), "c2", DateTimeOffset.UnixEpoch);
        mailbox.ExpireTokens();

        Assert.Null(await session.GetMessageDeltaAsync(inbox, link, Ct)); // 410 Gone
        var corrupt = link[..link.IndexOf("$deltatoken=", StringComparison.Ordinal)] + "$deltatoken=not-a-token";
        Assert.Null(await session.GetMessageDeltaAsync(inbox, corrupt, Ct)); // 400 ErrorInvalidSyncStateData
    }

    [Fact]
    public async Task A_link_outside_the_base_url_is_refused_so_the_token_never_leaves_graph()
    {
        var (api, session) = await StartAsync(new FakeGraphMailbox());
        var ex = await Assert.ThrowsAsync<ConnectorException>(() =>
            session.GetMessageDeltaAsync("x", "http://127.0.0.2:1/v1.0/me/mailFolders/x/messages/delta?$deltatoken=1", Ct));
        Assert.Equal(ConnectorErrorKind.CommandFailed, ex.Kind);
        Assert.Equal(0, api.Requests);
    }

    [Fact]
    public async Task Mime_comes_from_value_and_a_message_gone_since_is_null()
    {
        var mailbox = new FakeGraphMailbox();
        var id = mailbox.Add("inbox", Mime(7), "c7", DateTimeOffset.UnixEpoch);
        var (_, session) = await StartAsync(mailbox);
        Assert.Equal(Mime(7), await session.GetMimeAsync(id, Ct));
        mailbox.Delete(id);
        Assert.Null(await session.GetMimeAsync(id, Ct));
        Assert.Equal(1, session.Counters.BodiesFetched);
    }

    [Fact]
    public async Task SendMail_posts_the_mime_base64_as_text_plain_and_exchange_files_the_sent_copy()
    {
        var mailbox = new FakeGraphMailbox();
        var (_, session) = await StartAsync(mailbox, user: Address); // application permissions: /users/{address}
        var mime = Mime(42);
        var outcome = await session.SendMimeAsync(mime, Ct);
        Assert.Equal(Mailroom.Core.Sending.SmtpOutcomeKind.Accepted, outcome.Kind);
        Assert.Equal(202, outcome.Code);
        Assert.Equal(mime, Assert.Single(mailbox.Sent));
        Assert.Equal(mime, Assert.Single(mailbox.MessagesIn("sentitems")).Mime);
    }

    [Fact]
    public async Task A_message_whose_text_alone_is_over_graphs_4_MB_request_limit_is_refused_before_any_request()
    {
        var (api, session) = await StartAsync(new FakeGraphMailbox());
        // No attachment to take out for an upload session: the text itself is too large for the draft.
        var text = Encoding.ASCII.GetBytes("From: a@example.com\r\nTo: b@example.com\r\nSubject: long\r\nContent-Type: text/plain\r\n\r\n"
            + string.Concat(Enumerable.Repeat(new string('x', 76) + "\r\n", 4 * 1024 * 1024 / 78 + 10)));
        var outcome = await session.SendMimeAsync(text, Ct);
        Assert.Equal(Mailroom.Core.Sending.SmtpOutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("4194304", outcome.Reply, StringComparison.Ordinal);
        Assert.Equal(0, api.Requests);
    }

    [Fact]
    public async Task Throttling_429_and_503_wait_for_retry_after_and_then_succeed()
    {
        var mailbox = new FakeGraphMailbox();
        var id = mailbox.Add("inbox", Mime(1), "c1", DateTimeOffset.UnixEpoch);
        var (api, session) = await StartAsync(mailbox);
        api.FailNext(2, 429, retryAfterSeconds: 1);
        api.FailNext(1, 503, retryAfterSeconds: 1);
        var clock = Stopwatch.StartNew();
        Assert.Equal(Mime(1), await session.GetMimeAsync(id, Ct));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.9), $"waited {clock.Elapsed}");
        Assert.Equal(4, api.Requests);
        Assert.Equal(1, api.MimeServed);
    }

    [Fact]
    public async Task Throttling_that_outlasts_the_retries_fails_as_transient()
    {
        var mailbox = new FakeGraphMailbox();
        var id = mailbox.Add("inbox", Mime(1), "c1", DateTimeOffset.UnixEpoch);
        var (api, session) = await StartAsync(mailbox, options: new GraphOptions { MaxRetries = 2, RetryInitial = TimeSpan.FromMilliseconds(10) });
        api.FailNext(5, 429, retryAfterSeconds: 0);
        var ex = await Assert.ThrowsAsync<ConnectorException>(() => session.GetMimeAsync(id, Ct));
        Assert.Equal(ConnectorErrorKind.Transient, ex.Kind);
        Assert.Equal(3, api.Requests);
    }

    [Fact]
    public async Task A_rejected_token_is_refreshed_once_and_a_refused_fresh_one_needs_reauthorization()
    {
        var mailbox = new FakeGraphMailbox();
        var id = mailbox.Add("inbox", Mime(1), "c1", DateTimeOffset.UnixEpoch);
        var (api, session) = await StartAsync(mailbox);
        _goodTokens.Clear();
        _goodTokens.Add("token-2"); // token-1 was revoked; the refresh gives token-2
        Assert.Equal(Mime(1), await session.GetMimeAsync(id, Ct));
        Assert.Equal(2, _tokensIssued);

        _goodTokens.Clear(); // the grant itself is revoked
        api.ForgetTokens();
        var ex = await Assert.ThrowsAsync<ConnectorException>(() => session.GetMimeAsync(id, Ct));
        Assert.Equal(ConnectorErrorKind.ReauthorizationRequired, ex.Kind);
        Assert.Equal(3, _tokensIssued); // one refresh, not a loop
    }

    [Fact]
    public async Task At_most_four_requests_of_a_mailbox_are_in_flight_at_once()
    {
        var mailbox = new FakeGraphMailbox();
        var ids = Enumerable.Range(1, 16).Select(n => mailbox.Add("inbox", Mime(n), "c", DateTimeOffset.UnixEpoch)).ToList();
        var (api, session) = await StartAsync(mailbox);
        api.Delay = TimeSpan.FromMilliseconds(100);
        var bodies = await Task.WhenAll(ids.Select(id => session.GetMimeAsync(id, Ct)));
        Assert.All(bodies, Assert.NotNull);
        Assert.Equal(4, api.MaxInFlight);
    }

    [Fact]
    public async Task Twenty_messages_come_in_one_batch_request_and_those_throttled_inside_it_are_asked_again()
    {
        var mailbox = new FakeGraphMailbox();
        var ids = Enumerable.Range(1, 20).Select(n => mailbox.Add("inbox", Mime(n), "c", DateTimeOffset.UnixEpoch)).ToList();
        mailbox.Delete(ids[5]);
        var (api, session) = await StartAsync(mailbox);
        var bodies = await session.GetMimeBatchAsync(ids, Ct);
        Assert.Equal((1L, 20L), (api.Requests, api.BatchedRequests));
        Assert.Null(bodies[5]);
        for (var i = 0; i < ids.Count; i++)
        {
            if (i != 5)
                Assert.Equal(Mime(i + 1), bodies[i]);
        }

        // Three of the next batch's requests are throttled (429 inside a 200): only they go again, in a second batch.
        api.FailNextInBatch(3, 429, retryAfterSeconds: 0);
        bodies = await session.GetMimeBatchAsync(ids[..10], Ct);
        Assert.Equal((3L, 33L), (api.Requests, api.BatchedRequests));
        Assert.Equal(Mime(10), bodies[9]);
        Assert.Equal(9, bodies.Count(b => b is not null));
    }
}

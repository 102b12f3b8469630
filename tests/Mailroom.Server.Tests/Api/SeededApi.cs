using System.Globalization;
using Mailroom.Core.Connectors;
using Mailroom.Core.Contacts;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Storage.Queries;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Server.Tests.Api;

/// <summary>
/// Two organizations with their keys. A has mailbox A1 (INBOX with 33 messages: a message with HTML, an inline
/// image, a PDF and a tracking pixel, its reply, 29 plain ones and 2 without a Date header; Sent with the reply) and
/// contact "alice"; B has mailbox B1 with one message, a folder, a thread, contact "bob" and an outbox item.
/// </summary>
public sealed class SeededApi : IAsyncLifetime
{
    public const int InboxMessages = 33;
    public const string Png1x1Base64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    public ApiTestApp App { get; } = new();

    public string KeyA { get; private set; } = "";
    public string KeyB { get; private set; } = "";
    public long OrgA { get; private set; }
    public long OrgB { get; private set; }
    internal MailboxRecord A1 { get; private set; } = null!;
    internal MailboxRecord B1 { get; private set; } = null!;
    public long InboxA { get; private set; }
    public long SentA { get; private set; }
    public long HtmlMessageA { get; private set; }
    public long ReplyMessageA { get; private set; }
    public long ThreadA { get; private set; }
    public long InboxB { get; private set; }
    public long MessageB { get; private set; }
    public long ThreadB { get; private set; }
    public long OutboxB { get; private set; }

    public async ValueTask InitializeAsync()
    {
        await App.InitializeAsync();
        (OrgA, KeyA) = await App.NewOrganizationAsync("org-a");
        (OrgB, KeyB) = await App.NewOrganizationAsync("org-b");
        A1 = await App.NewMailboxAsync(OrgA, "a1");
        B1 = await App.NewMailboxAsync(OrgB, "b1");
        var contacts = App.Services.GetRequiredService<IContactStore>();
        await contacts.UpsertAsync(OrgA, new ContactInput("alice", "Alice", ["alice@example.com"]), CancellationToken.None);
        await contacts.UpsertAsync(OrgB, new ContactInput("bob", "Bob", ["bob@example.com"]), CancellationToken.None);

        InboxA = (await App.FolderAsync(A1.Id, "INBOX", FolderRole.Inbox)).Id;
        SentA = (await App.FolderAsync(A1.Id, "Sent", FolderRole.Sent)).Id;
        var plain = Enumerable.Range(0, 29).Select(i => ((uint)(10 + i), MessageFlags.Seen, Plain(i))).ToList();
        await App.StoreAsync(InboxA, [(1, MessageFlags.None, HtmlMessage), (2, MessageFlags.Seen, Reply), .. plain,
            (50, MessageFlags.None, Undated(1)), (51, MessageFlags.Seen, Undated(2))]);
        await App.StoreAsync(SentA, (1, MessageFlags.Seen, Reply));

        InboxB = (await App.FolderAsync(B1.Id, "INBOX", FolderRole.Inbox)).Id;
        await App.StoreAsync(InboxB, (1, MessageFlags.None, """
            From: Bob <bob@example.com>
            To: b1@example.test
            Subject: For B only
            Date: Tue, 03 Nov 2026 10:00:00 +0000
            Message-ID: <b-1@example.com>
            Content-Type: multipart/mixed; boundary="x"

            --x
            Content-Type: text/html

            <p>Secret of B <img src="cid:img-b"></p>
            --x
            Content-Type: image/png
            Content-ID: <img-b>
            Content-Transfer-Encoding: base64

            iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==
            --x--
            """));

        var inspector = App.Services.GetRequiredService<StoreInspector>();
        var inboxA = await inspector.ListFolderMessagesAsync(InboxA, CancellationToken.None);
        HtmlMessageA = inboxA.Single(m => m.Uid == 1).MessageId;
        ReplyMessageA = inboxA.Single(m => m.Uid == 2).MessageId;
        ThreadA = (await inspector.FindThreadAsync(A1.Id, "html-1@example.com", CancellationToken.None))!.Value;
        MessageB = (await inspector.ListFolderMessagesAsync(InboxB, CancellationToken.None)).Single().MessageId;
        ThreadB = (await inspector.FindThreadAsync(B1.Id, "b-1@example.com", CancellationToken.None))!.Value;

        var composer = App.Services.GetRequiredService<Mailroom.Core.Sending.MessageComposer>();
        var composed = composer.Compose(new Mailroom.Core.Sending.OutgoingMessage
        {
            From = new("b1@example.test"), To = [new("bob@example.com")], Subject = "Queued in B", Text = "Hello",
        }, international: false);
        OutboxB = (await App.Services.GetRequiredService<IOutboxStore>().EnqueueAsync(B1.Id, "b-key", composed, CancellationToken.None)).Item.Id;
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();

    public HttpClient ClientA() => App.Client(KeyA);

    public HttpClient ClientB() => App.Client(KeyB);

    private const string HtmlMessage = """
        From: Alice <alice@example.com>
        To: a1@example.test
        Subject: Proposal
        Date: Mon, 02 Nov 2026 09:00:00 +0000
        Message-ID: <html-1@example.com>
        Content-Type: multipart/mixed; boundary="outer"

        --outer
        Content-Type: multipart/related; boundary="rel"

        --rel
        Content-Type: text/html; charset=utf-8

        <html><body><p onclick="alert(1)">Hello <b>there</b></p><img src="cid:logo@x"><img src="https://tracker.example/open.gif" width="1" height="1"><script>alert(2)</script><img src="https://images.example/photo.jpg"></body></html>
        --rel
        Content-Type: image/png
        Content-ID: <logo@x>
        Content-Transfer-Encoding: base64

        iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==
        --rel--
        --outer
        Content-Type: application/pdf; name="offer.pdf"
        Content-Disposition: attachment; filename="offer.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQKJcOkw7zDtsOfCjEgMCBvYmoKPDw+PgplbmRvYmoKdHJhaWxlcgo8PD4+CiUlRU9GCg==
        --outer--
        """;

    private const string Reply = """
        From: a1@example.test
        To: Alice <alice@example.com>
        Subject: Re: Proposal
        Date: Mon, 02 Nov 2026 10:00:00 +0000
        Message-ID: <reply-1@example.test>
        In-Reply-To: <html-1@example.com>
        References: <html-1@example.com>

        Thanks.
        """;

    private static string Plain(int i) => string.Create(CultureInfo.InvariantCulture, $"""
        From: Carol {i} <carol{i % 5}@example.org>
        To: a1@example.test
        Subject: Plain {i}
        Date: {new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero).AddHours(i).ToString("r", CultureInfo.InvariantCulture)}
        Message-ID: <plain-{i}@example.org>

        Body {i}.
        """);

    private static string Undated(int i) => string.Create(CultureInfo.InvariantCulture, $"""
        From: dave@example.net
        To: a1@example.test
        Subject: Undated {i}
        Message-ID: <undated-{i}@example.net>

        No date.
        """);
}

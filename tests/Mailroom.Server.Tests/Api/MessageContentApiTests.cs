using System.Net;
using System.Text;
using System.Text.Json;
using Mailroom.Core.Sync;
using Mailroom.Core.Connectors;
using Mailroom.Storage.Queries;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Server.Tests.Api;

/// <summary>Message content end to end: real ingest into SQLite, then the stored fields and downloads through /v1.</summary>
public sealed class MessageContentApiTests : IAsyncLifetime
{
    private const string Attached = "From: Carol <carol@example.org>\nSubject: Original\nContent-Type: text/plain\n\nfirst line\nsecond line\n";
    private const string Prose = "Only a line of prose where a message should be.";

    private readonly ApiTestApp app = new();
    private string key = "";
    private long messageId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await app.InitializeAsync();
        (var org, key) = await app.NewOrganizationAsync("content");
        var mailbox = await app.NewMailboxAsync(org, "c1");
        var inbox = (await app.FolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox)).Id;
        var korean = Convert.ToBase64String(Encoding.UTF8.GetBytes("김민준"));
        await app.StoreAsync(inbox, (1, MessageFlags.None, $"""
            From: =?utf-8?B?{korean}?= minjun@example.kr
            To: "=?utf-8?Q?J=C3=B6rg_M=C3=BCller?=" <joerg@example.com>
            Subject: =?utf-7?Q?Fr+APY-sche?=
            Date: Mon, 07 Dec 2026 09:00:00 +0000
            Message-ID: <content-1@example.kr>
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/plain; charset=utf-8

            Before the photo.
            --m
            Content-Type: image/png; name=photo.png
            Content-Transfer-Encoding: base64

            {SeededApi.Png1x1Base64}
            --m
            Content-Type: text/plain; charset=koi8-r
            Content-Transfer-Encoding: quoted-printable

            =F0=D2=C9=D7=C5=D4 after the photo.
            --m
            Content-Type: message/rfc822

            {Attached}
            --m
            Content-Type: message/rfc822

            {Prose}
            --m-- sent from a phone
            epilogue
            """));
        var inspector = app.Services.GetRequiredService<StoreInspector>();
        messageId = (await inspector.ListFolderMessagesAsync(inbox, CancellationToken.None)).Single().MessageId;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    [Fact]
    public async Task Stored_message_has_every_text_part_the_recovered_sender_and_decoded_names()
    {
        var message = await ApiAssert.JsonAsync(await app.Client(key).GetAsync($"/v1/messages/{messageId}", Ct), HttpStatusCode.OK);

        Assert.Equal("Before the photo.\r\nПривет after the photo.", message.GetProperty("textBody").GetString());
        Assert.Equal("Frösche", message.GetProperty("subject").GetString());
        var addresses = message.GetProperty("addresses").EnumerateArray()
            .Select(a => (a.GetProperty("role").GetString(), a.GetProperty("name").GetString(), a.GetProperty("address").GetString())).ToList();
        Assert.Contains(("from", "김민준", "minjun@example.kr"), addresses);
        Assert.Contains(("to", "Jörg Müller", "joerg@example.com"), addresses);
        Assert.Contains(message.GetProperty("problems").EnumerateArray(), p => p.GetString()!.StartsWith("From header: the address minjun@example.kr", StringComparison.Ordinal));
        Assert.DoesNotContain("epilogue", message.GetProperty("textBody").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attached_message_and_non_message_rfc822_part_download_byte_for_byte()
    {
        var message = await ApiAssert.JsonAsync(await app.Client(key).GetAsync($"/v1/messages/{messageId}", Ct), HttpStatusCode.OK);
        var attachments = message.GetProperty("attachments").EnumerateArray().ToList();
        Assert.Equal(["image/png", "message/rfc822", "message/rfc822"], attachments.Select(a => a.GetProperty("contentType").GetString()));

        var attached = Encoding.UTF8.GetBytes(Attached.ReplaceLineEndings("\r\n"));
        Assert.Equal(attached.Length, attachments[1].GetProperty("size").GetInt64());
        Assert.Equal(attached, await DownloadAsync(attachments[1]));
        Assert.Equal(Prose.Length, attachments[2].GetProperty("size").GetInt64());
        Assert.Equal(Encoding.ASCII.GetBytes(Prose), await DownloadAsync(attachments[2]));
        Assert.Equal(Convert.FromBase64String(SeededApi.Png1x1Base64), await DownloadAsync(attachments[0]));
    }

    [Fact]
    public async Task Files_inside_winmail_dat_are_listed_and_download_as_sent()
    {
        if (RichTextTnef() is not { } file)
        {
            Assert.Skip("Corpus not found (messages/mimekit/tnef/rich-text.eml): set MAILROOM_CORPUS or put shared/corpus beside the repository.");
            return;
        }

        var inspector = app.Services.GetRequiredService<StoreInspector>();
        var (org, tnefKey) = await app.NewOrganizationAsync("tnef");
        var mailbox = await app.NewMailboxAsync(org, "t1");
        var inbox = (await app.FolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox)).Id;
        await app.StoreAsync(inbox, (1, MessageFlags.None, await File.ReadAllTextAsync(file, Encoding.Latin1, Ct)));
        var id = (await inspector.ListFolderMessagesAsync(inbox, CancellationToken.None)).Single().MessageId;

        var message = await ApiAssert.JsonAsync(await app.Client(tnefKey).GetAsync($"/v1/messages/{id}", Ct), HttpStatusCode.OK);
        var attachments = message.GetProperty("attachments").EnumerateArray().ToList();
        Assert.Equal("winmail.dat", attachments[0].GetProperty("fileName").GetString());
        var kitten = attachments.Single(a => a.GetProperty("fileName").GetString() == "kitten-playing-with-a-christmas-tree.jpg");
        Assert.Equal("image/jpeg", kitten.GetProperty("contentType").GetString());
        Assert.Equal(375081, kitten.GetProperty("size").GetInt64());

        var jpeg = await DownloadAsync(kitten, tnefKey);
        Assert.Equal(375081, jpeg.Length);
        Assert.Equal([0xFF, 0xD8, 0xFF], jpeg[..3]);
    }

    private static string? RichTextTnef()
    {
        var configured = Environment.GetEnvironmentVariable("MAILROOM_CORPUS");
        var roots = new List<string>();
        if (!string.IsNullOrEmpty(configured))
            roots.AddRange([Path.Combine(configured, "messages"), configured]);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mailroom.slnx")))
                roots.Add(Path.Combine(dir.FullName, "..", "shared", "corpus", "messages"));
        }

        return roots.Select(r => Path.Combine(r, "mimekit", "tnef", "rich-text.eml")).FirstOrDefault(File.Exists);
    }

    private async Task<byte[]> DownloadAsync(JsonElement attachment, string? apiKey = null)
    {
        var response = await app.Client(apiKey ?? key).GetAsync(attachment.GetProperty("download").GetString(), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }
}

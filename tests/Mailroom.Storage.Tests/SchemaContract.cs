using Mailroom.Core.Connectors;
using Mailroom.Core.Messages;
using Mailroom.Storage.Model;
using Mailroom.Storage.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Storage.Tests;

/// <summary>Migrations and the stored shape of a message, run against each provider by a subclass.</summary>
public abstract class SchemaContract<TDatabase>(TDatabase database)
    where TDatabase : TestDatabase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected TDatabase Database { get; } = database;

    [Fact]
    public async Task Migrations_apply_to_an_empty_database_and_again_do_nothing()
    {
        _ = Database.Services; // skips when the provider is unavailable
        var options = await Database.CreateDatabaseAsync();
        try
        {
            await DatabaseInitializer.MigrateAsync(options, Ct);
            await DatabaseInitializer.MigrateAsync(options, Ct);

            await using var db = new MailroomContextFactory(options).Create();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(Ct));
            Assert.Equal(0, await db.Messages.CountAsync(Ct));
            Assert.Equal(0, await db.RawMime.CountAsync(Ct));
        }
        finally
        {
            await Database.DropDatabaseAsync(options);
        }
    }

    [Fact]
    public async Task Migrate_creates_a_missing_database()
    {
        _ = Database.Services; // skips when the provider is unavailable
        var options = Database.MissingDatabase();
        try
        {
            await DatabaseInitializer.MigrateAsync(options, Ct);

            await using var db = new MailroomContextFactory(options).Create();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
        }
        finally
        {
            await Database.DropDatabaseAsync(options);
        }
    }

    [Fact]
    public async Task A_new_message_is_stored_with_its_normalized_fields_addresses_and_attachments()
    {
        var mailbox = await Database.NewMailboxAsync();
        var inbox = await Database.NewFolderAsync(mailbox.Id, "INBOX");
        var raw = "Subject: Interview\r\n\r\nSee you.\r\n"u8.ToArray();
        var sent = new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.FromHours(3));
        var normalized = new NormalizedMessage
        {
            MessageId = "abc@example.com",
            InReplyTo = "parent@example.com",
            References = ["root@example.com", "parent@example.com"],
            Subject = "Interview",
            Date = sent,
            From = [new MessageAddress("Zoë Recruiter", "Zoe@Example.com")],
            ReplyTo = [new MessageAddress(null, "jobs@example.com")],
            To = [new MessageAddress("Candidate", "cand@bücher.example"), new MessageAddress(null, "second@example.com")],
            Cc = [new MessageAddress(null, "cc@example.com")],
            TextBody = "See you.",
            HtmlBody = "<p>See you.</p>",
            Attachments =
            [
                new AttachmentInfo("logo.png", "image/png", 100, "logo@x", true, "1.2"),
                new AttachmentInfo("cv.pdf", "application/pdf", 2000, null, false, "2"),
            ],
            CalendarEvents = [new CalendarEventInfo("REQUEST", "uid-1", "Interview", sent, sent.AddHours(1), "Room 1", "zoe@example.com", ["cand@bücher.example"], 0, "CONFIRMED")],
            Snippet = "See you.",
            Problems = ["missing boundary"],
        };
        var message = TestMessages.Ingest(4, raw, normalized, MessageFlags.Seen);

        await Database.Messages.SaveMessagesAsync(inbox.Id, [message], Ct);

        await using var db = Database.Services.GetRequiredService<MailroomContextFactory>().Create();
        var stored = await db.Messages.SingleAsync(m => m.MailboxId == mailbox.Id, Ct);
        Assert.Equal(message.IdentityKey, stored.IdentityKey);
        Assert.Equal(message.RawSha256, stored.RawSha256);
        Assert.Equal(("abc@example.com", "parent@example.com", "Interview"), (stored.MessageIdHeader, stored.InReplyTo, stored.Subject));
        Assert.Equal("""["root@example.com","parent@example.com"]""", stored.ReferenceIds);
        Assert.Equal(sent, stored.Date);
        Assert.Equal(TestMessages.Date.AddMinutes(1), stored.InternalDate);
        Assert.Equal(TestDatabase.Start, stored.CreatedAt);
        Assert.Equal("Zoë Recruiter <Zoe@Example.com>", stored.FromSummary);
        Assert.Equal("Candidate <cand@bücher.example>, second@example.com", stored.ToSummary);
        Assert.Equal(("See you.", "<p>See you.</p>", "See you."), (stored.TextBody, stored.HtmlBody, stored.Snippet));
        Assert.True(stored.HasAttachments);
        Assert.Equal("""["missing boundary"]""", stored.Problems);
        Assert.Contains("\"method\":\"REQUEST\"", stored.CalendarEvents, StringComparison.Ordinal);
        Assert.Equal(raw.Length, stored.Size);

        var addresses = await db.Addresses.Where(a => a.MessageId == stored.Id).OrderBy(a => a.Position).ToListAsync(Ct);
        Assert.Equal(
            [
                (AddressRole.From, "Zoë Recruiter", "Zoe@Example.com", "zoe@example.com"),
                (AddressRole.ReplyTo, null, "jobs@example.com", "jobs@example.com"),
                (AddressRole.To, "Candidate", "cand@bücher.example", "cand@bücher.example"),
                (AddressRole.To, null, "second@example.com", "second@example.com"),
                (AddressRole.Cc, null, "cc@example.com", "cc@example.com"),
            ],
            addresses.Select(a => (a.Role, a.Name, a.Address, a.AddressNormalized)));
        var attachments = await db.Attachments.Where(a => a.MessageId == stored.Id).OrderBy(a => a.Position).ToListAsync(Ct);
        Assert.Equal(
            [("logo.png", "image/png", 100L, "logo@x", true, "1.2"), ("cv.pdf", "application/pdf", 2000L, null, false, "2")],
            attachments.Select(a => (a.FileName, a.ContentType, a.Size, a.ContentId, a.IsInline, a.PartPath)));
        var byDate = await db.Messages.Where(m => m.MailboxId == mailbox.Id && m.Date > sent.AddSeconds(-1)).OrderBy(m => m.Date).CountAsync(Ct);
        Assert.Equal(1, byDate);
    }
}

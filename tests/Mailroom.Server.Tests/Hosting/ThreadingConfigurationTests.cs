using System.Text;
using Mailroom.Core.Connectors;
using Mailroom.Core.Messages;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Server.Tests.Events;
using Mailroom.Storage.Queries;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Server.Tests.Hosting;

/// <summary><c>Threading:SubjectJoins</c> from configuration reaches the store that sync ingest writes through.</summary>
public sealed class ThreadingConfigurationTests
{
    [Theory]
    [InlineData(null, 1)]
    [InlineData("true", 1)]
    [InlineData("false", 2)]
    public async Task Subject_joins_follow_the_setting(string? setting, int threads)
    {
        await using var app = await EventsTestApp.StartAsync(setting is null ? null : new Dictionary<string, string?> { ["Threading:SubjectJoins"] = setting });
        var (_, mailbox, folder) = await app.NewMailboxAsync();
        var store = app.Services.GetRequiredService<IMessageStore>();
        await store.SaveMessagesAsync(folder, [Mail(1, "a@x", "Offer letter for Ann", "10:00")], TestContext.Current.CancellationToken);
        await store.SaveMessagesAsync(folder, [Mail(2, "b@x", "AW: Offer letter for Ann", "11:00")], TestContext.Current.CancellationToken); // no references

        var listed = await app.Services.GetRequiredService<StoreInspector>().ListThreadsAsync(mailbox, 10, TestContext.Current.CancellationToken);
        Assert.Equal(threads, listed.Count);
    }

    private static IngestedMessage Mail(uint uid, string id, string subject, string time)
    {
        var raw = Encoding.UTF8.GetBytes(
            $"From: Ann <ann@example.org>\r\nTo: bob@example.com\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n" +
            $"Date: Wed, 04 Mar 2026 {time}:00 +0000\r\n\r\nHello.\r\n");
        return IngestedMessage.Of(new FetchedMessage(uid, MessageFlags.None, [], DateTimeOffset.UtcNow, raw), MessageNormalizer.Normalize(raw));
    }
}

using System.Globalization;
using System.Text;
using Mailroom.Core.Messages;
using Mailroom.Core.Storage;

namespace Mailroom.Storage.Tests.Infrastructure;

/// <summary>Synthetic messages with chosen addresses, for contact links.</summary>
public static class AddressedMessages
{
    public static IngestedMessage Create(
        uint uid, string messageId, string from, string to, string? cc = null, string? replyTo = null,
        DateTimeOffset? date = null, string? trace = null)
    {
        var when = date ?? TestMessages.Date;
        var raw = new StringBuilder()
            .Append(trace is null ? "" : $"Received: {trace}\r\n")
            .Append(CultureInfo.InvariantCulture, $"From: {from}\r\nTo: {to}\r\n")
            .Append(cc is null ? "" : $"Cc: {cc}\r\n")
            .Append(replyTo is null ? "" : $"Reply-To: {replyTo}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Subject: About {messageId}\r\nDate: {when:R}\r\nMessage-ID: <{messageId}>\r\n\r\nHello.\r\n")
            .ToString();
        var message = new NormalizedMessage
        {
            MessageId = messageId,
            Subject = "About " + messageId,
            Date = when,
            From = List(from),
            To = List(to),
            Cc = List(cc),
            ReplyTo = List(replyTo),
            TextBody = "Hello.",
            Snippet = "Hello.",
        };
        return TestMessages.Ingest(uid, Encoding.UTF8.GetBytes(raw), message);
    }

    private static MessageAddress[] List(string? addresses) =>
        addresses is null ? [] : [.. addresses.Split(',', StringSplitOptions.TrimEntries).Select(Parse)];

    /// <summary>"Name &lt;addr&gt;" or "addr", as the normalizer would give it (the domain here is already Unicode).</summary>
    private static MessageAddress Parse(string text)
    {
        var open = text.IndexOf('<', StringComparison.Ordinal);
        return open < 0 ? new MessageAddress(null, text) : new MessageAddress(text[..open].Trim(), text[(open + 1)..^1]);
    }
}

using System.Globalization;
using System.Text;
using Mailroom.Core.Connectors;
using Mailroom.Core.Identity;
using Mailroom.Core.Messages;
using Mailroom.Core.Storage;

namespace Mailroom.Storage.Tests.Infrastructure;

/// <summary>Synthetic ingested messages: raw bytes and the normalized fields that match them, without a parser.</summary>
public static class TestMessages
{
    public static readonly DateTimeOffset Date = new(2026, 3, 4, 10, 30, 0, TimeSpan.FromHours(2));

    /// <summary>A message with the given Message-ID and body; the same arguments give the same raw bytes.</summary>
    public static IngestedMessage Create(
        uint uid, string? messageId, string body = "Hello.", MessageFlags flags = MessageFlags.None,
        IReadOnlyList<string>? keywords = null, string subject = "Meeting", string? trace = null,
        IReadOnlyList<AttachmentInfo>? attachments = null, int padding = 0)
    {
        var from = new MessageAddress("Alice Example", "alice@example.com");
        var to = new MessageAddress(null, "Bob@Example.COM");
        var raw = new StringBuilder()
            .Append(trace is null ? "" : $"Received: {trace}\r\n")
            .Append("From: Alice Example <alice@example.com>\r\n")
            .Append("To: Bob@Example.COM\r\n")
            .Append(CultureInfo.InvariantCulture, $"Subject: {subject}\r\n")
            .Append("Date: Wed, 04 Mar 2026 10:30:00 +0200\r\n")
            .Append(messageId is null ? "" : $"Message-ID: <{messageId}>\r\n")
            .Append("\r\n")
            .Append(body).Append("\r\n")
            .Append('x', padding)
            .ToString();
        var message = new NormalizedMessage
        {
            MessageId = messageId,
            Subject = subject,
            Date = Date,
            From = [from],
            To = [to],
            TextBody = body,
            Snippet = body.Length > 200 ? body[..200] : body,
            Attachments = attachments ?? [],
        };
        return Ingest(uid, Encoding.UTF8.GetBytes(raw), message, flags, keywords);
    }

    public static IngestedMessage Ingest(
        uint uid, byte[] raw, NormalizedMessage message, MessageFlags flags = MessageFlags.None, IReadOnlyList<string>? keywords = null)
    {
        var fetched = new FetchedMessage(uid, flags, keywords ?? [], Date.AddMinutes(1), raw);
        var sha = MessageIdentity.Sha256Hex(raw);
        return new IngestedMessage(fetched, message, sha, MessageIdentity.Compute(message, sha));
    }

    /// <summary>The same message as another folder holds it: another UID, possibly other flags.</summary>
    public static IngestedMessage InFolder(this IngestedMessage message, uint uid, MessageFlags? flags = null) =>
        message with { Fetched = message.Fetched with { Uid = uid, Flags = flags ?? message.Fetched.Flags } };
}

using System.Security.Cryptography;
using System.Text;
using Mailroom.Core.Messages;

namespace Mailroom.Core.Identity;

/// <summary>
/// The identity of a message within a mailbox: what makes two copies (INBOX and Sent, or a folder and its
/// re-created self after a UIDVALIDITY change) one message.
/// </summary>
public static class MessageIdentity
{
    /// <summary>
    /// A provider id wins (Gmail X-GM-MSGID, Graph item ids). Otherwise the Message-ID, qualified by a digest of
    /// the originator fields so that two different messages that reuse one Message-ID stay distinct, while
    /// the delivered and the sent copy of one message (which differ only in trace headers) are one.
    /// Without a Message-ID, a digest of the same fields and the body; and when even those are missing (input that
    /// could not be parsed at all), the raw bytes' own <paramref name="rawSha256"/>, so unreadable messages stay distinct.
    /// </summary>
    public static string Compute(NormalizedMessage message, string rawSha256, string? providerId = null)
    {
        if (!string.IsNullOrEmpty(providerId))
            return "p:" + providerId;
        if (message.MessageId is null && message.From.Count == 0 && message.TextBody is null && message.HtmlBody is null)
            return "r:" + rawSha256;

        var origin = new StringBuilder()
            .Append(message.Date?.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n')
            .Append(string.Join(',', message.From.Select(a => a.Normalized))).Append('\n')
            .Append(message.Subject?.Trim()).Append('\n');

        if (!string.IsNullOrEmpty(message.MessageId))
            return "m:" + message.MessageId + "#" + Digest(origin.ToString())[..16];

        origin.Append(string.Join(',', message.To.Select(a => a.Normalized))).Append('\n')
            .Append(string.Join(',', message.Cc.Select(a => a.Normalized))).Append('\n')
            .Append(message.TextBody ?? message.HtmlBody).Append('\n')
            .Append(string.Join(',', message.Attachments.Select(a => $"{a.FileName}:{a.Size}")));
        return "h:" + Digest(origin.ToString());
    }

    /// <summary>Lower-case hex SHA-256 of raw bytes: the key raw MIME is stored under.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> raw) => Convert.ToHexStringLower(SHA256.HashData(raw));

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

using System.Globalization;
using System.Text;

namespace Mailroom.IntegrationTests.Infrastructure;

/// <summary>Messages written for these tests: varied MIME shapes and charsets, and a few deliberately broken ones.</summary>
public static class TestMessages
{
    static TestMessages() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Message number <paramref name="n"/> of a deterministic series; every 25th is malformed.</summary>
    public static byte[] Numbered(int n, string to = "mr@mailroom.test")
    {
        var date = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero).AddMinutes(n * 7);
        var head = new StringBuilder()
            .Append("Return-Path: <sender").Append(n % 13).Append("@example.org>\r\n")
            .Append("From: Sender ").Append(n % 13).Append(" <sender").Append(n % 13).Append("@example.org>\r\n")
            .Append("To: ").Append(to).Append("\r\n")
            .Append("Date: ").Append(date.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture)).Append("\r\n");

        return (n % 25) switch
        {
            24 => Malformed(n, head),
            _ when n % 5 == 0 => Latin(Koi8(n, head)),
            _ when n % 3 == 0 => Ascii(Alternative(n, head)),
            _ when n % 7 == 0 => Ascii(WithAttachment(n, head)),
            _ => Ascii(Plain(n, head)),
        };
    }

    private static string Plain(int n, StringBuilder head) => head
        .Append("Subject: Plain message ").Append(n).Append("\r\n")
        .Append("Message-ID: <plain-").Append(n).Append("@example.org>\r\n")
        .Append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
        .Append("Hello, this is message ").Append(n).Append(".\r\n")
        .Append(string.Concat(Enumerable.Repeat("Some body text for the message to have a realistic size.\r\n", 20)))
        .ToString();

    private static string Alternative(int n, StringBuilder head) => head
        .Append("Subject: Alternative ").Append(n).Append("\r\n")
        .Append("Message-ID: <alt-").Append(n).Append("@example.org>\r\n")
        .Append("In-Reply-To: <plain-").Append(n - 1).Append("@example.org>\r\n")
        .Append("MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b").Append(n).Append("\"\r\n\r\n")
        .Append("--b").Append(n).Append("\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nText part ").Append(n).Append("\r\n")
        .Append("--b").Append(n).Append("\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML part <b>").Append(n).Append("</b></p>\r\n")
        .Append("--b").Append(n).Append("--\r\n")
        .ToString();

    private static string WithAttachment(int n, StringBuilder head)
    {
        var payload = Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat($"attachment {n} ", 400))), Base64FormattingOptions.InsertLineBreaks);
        return head
            .Append("Subject: Report ").Append(n).Append("\r\n")
            .Append("Message-ID: <att-").Append(n).Append("@example.org>\r\n")
            .Append("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"m").Append(n).Append("\"\r\n\r\n")
            .Append("--m").Append(n).Append("\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nSee attached.\r\n")
            .Append("--m").Append(n).Append("\r\nContent-Type: application/pdf; name=\"report-").Append(n).Append(".pdf\"\r\n")
            .Append("Content-Disposition: attachment; filename=\"report-").Append(n).Append(".pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .Append(payload.Replace("\n", "\r\n", StringComparison.Ordinal).Replace("\r\r", "\r", StringComparison.Ordinal)).Append("\r\n")
            .Append("--m").Append(n).Append("--\r\n")
            .ToString();
    }

    private static byte[] Koi8(int n, StringBuilder head)
    {
        var koi8 = Encoding.GetEncoding("koi8-r");
        var headers = head
            .Append("Subject: =?koi8-r?B?").Append(Convert.ToBase64String(koi8.GetBytes($"Письмо {n}"))).Append("?=\r\n")
            .Append("Message-ID: <koi-").Append(n).Append("@example.org>\r\n")
            .Append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=koi8-r\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
            .ToString();
        return [.. Encoding.ASCII.GetBytes(headers), .. koi8.GetBytes($"Здравствуйте! Это письмо номер {n}.\r\n")];
    }

    private static byte[] Malformed(int n, StringBuilder head) => Encoding.UTF8.GetBytes(head
        .Append("Subject: Broken ").Append(n).Append(" ünencoded header\r\n")
        .Append("This line has no colon\r\n")
        .Append("MIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\n")
        .Append("--nowhere\r\nContent-Type: text/plain; charset=x-unknown-charset\r\n\r\nbody without end ").Append(n).Append("\r\n")
        .ToString());

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Latin(byte[] bytes) => bytes;
}

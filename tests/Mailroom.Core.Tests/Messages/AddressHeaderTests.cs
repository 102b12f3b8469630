using System.Text;
using Mailroom.Core.Messages;

namespace Mailroom.Core.Tests.Messages;

/// <summary>Address headers as real mailers write them, beyond RFC 5322.</summary>
public sealed class AddressHeaderTests
{
    private static string B(string text, Encoding encoding) => Convert.ToBase64String(encoding.GetBytes(text));

    [Theory]
    [InlineData("From")]
    [InlineData("To")]
    [InlineData("Cc")]
    [InlineData("Bcc")]
    [InlineData("Reply-To")]
    [InlineData("Sender")]
    public void Encoded_name_followed_by_a_bare_address_keeps_the_address_and_the_name(string field)
    {
        var korean = Encoding.GetEncoding(949);
        var message = TestMessages.Normalize($"""
            {field}: =?ks_c_5601-1987?B?{B("홍길동", korean)}?= gildong@example.co.kr
            Subject: hi

            body
            """);

        var address = Assert.Single(Field(message, field));
        Assert.Equal(new MessageAddress("홍길동", "gildong@example.co.kr"), address);
        Assert.Contains(message.Problems, p => p.StartsWith(field + " header: the address gildong@example.co.kr", StringComparison.Ordinal));
    }

    [Fact]
    public void Bare_address_among_good_ones_costs_none_of_them()
    {
        var message = TestMessages.Normalize($"""
            To: =?utf-8?B?{B("山田太郎", Encoding.UTF8)}?= taro@example.jp, "Doe, Jane" <jane@example.com>,
             bob@example.org, Plain Name plain@example.net
            Subject: hi

            body
            """);

        Assert.Equal(
            [
                new MessageAddress("山田太郎", "taro@example.jp"),
                new MessageAddress("Doe, Jane", "jane@example.com"),
                new MessageAddress(null, "bob@example.org"),
                new MessageAddress("Plain Name", "plain@example.net"),
            ],
            message.To);
        Assert.Equal(2, message.Problems.Count(p => p.StartsWith("To header: the address", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("\"=?utf-8?Q?J=C3=B6rg_M=C3=BCller?=\" <j@example.com>", "Jörg Müller")]
    [InlineData("\"=?iso-8859-1?Q?M=FCller,_Hans?=\" <j@example.com>", "Müller, Hans")]
    [InlineData("\"=?utf-8?Q?Hans M=C3=BCller?=\" <j@example.com>", "Hans Müller")]
    [InlineData("\"=?utf-8?Q?J=C3=B6rg?==?utf-8?Q?_M=C3=BCller?=\" <j@example.com>", "Jörg Müller")]
    [InlineData("\"=?utf-8?B?SsO2cmc=?= (Sales)\" <j@example.com>", "Jörg (Sales)")]
    [InlineData("\"Plain \\\"quoted\\\" name\" <j@example.com>", "Plain \"quoted\" name")]
    public void Encoded_words_inside_a_quoted_name_are_decoded(string header, string name)
    {
        var message = TestMessages.Normalize($"From: {header}\nSubject: hi\n\nbody\n");

        Assert.Equal(new MessageAddress(name, "j@example.com"), Assert.Single(message.From));
    }

    [Fact]
    public void Quoted_encoded_name_in_an_8bit_header_in_another_charset_is_decoded_too()
    {
        var raw = TestMessages.Bytes("From: \"=?utf-8?Q?J=C3=B6rg?=\" <j@example.com>, \"Ren\u00e9e\" <r@example.com>\nSubject: hi\n\nbody\n", Encoding.Latin1);

        var message = MessageNormalizer.Normalize(raw);

        Assert.Equal([new MessageAddress("Jörg", "j@example.com"), new MessageAddress("Renée", "r@example.com")], message.From);
    }

    [Fact]
    public void Utf7_encoded_words_in_subject_and_names_are_decoded()
    {
        var message = TestMessages.Normalize("""
            From: =?utf-7?Q?J+APY-rg?= <j@example.com>
            To: "=?unicode-1-1-utf-7?Q?Fr+APY-sche?=" <f@example.com>
            Subject: =?utf-7?Q?Fr+APY-sche_Gr+APw-+AN8-e?=
            Content-Type: text/plain; charset=utf-7

            Gr+APw-+AN8-e aus K+APY-ln, 1 +- 1 = 2
            """);

        Assert.Equal("Frösche Grüße", message.Subject);
        Assert.Equal(new MessageAddress("Jörg", "j@example.com"), Assert.Single(message.From));
        Assert.Equal(new MessageAddress("Frösche", "f@example.com"), Assert.Single(message.To));
        Assert.Equal("Grüße aus Köln, 1 + 1 = 2", message.TextBody);
        Assert.DoesNotContain(message.Problems, p => p.Contains("charset", StringComparison.Ordinal));
    }

    [Fact]
    public void Utf7_html_body_and_attachment_name_are_decoded()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/html; charset="UTF-7"

            +ADw-p+AD4-Gr+APw-+AN8-e+ADw-/p+AD4-
            --m
            Content-Type: application/pdf
            Content-Disposition: attachment; filename="=?utf-7?B?RnIrQVBZLXNjaGUucGRm?="

            JVBERi0=
            --m--
            """);

        Assert.Equal("<p>Grüße</p>", message.HtmlBody);
        Assert.Equal("Frösche.pdf", Assert.Single(message.Attachments).FileName);
    }

    [Theory]
    [InlineData("attachment; filename*=utf-7''Fr%2BAPY-sche.pdf")]
    [InlineData("attachment; filename*0*=UTF-7''Fr+APY-; filename*1*=sche.pdf")]
    public void Utf7_rfc2231_file_name_is_decoded(string disposition)
    {
        var message = TestMessages.Normalize($"""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/plain

            body
            --m
            Content-Type: application/pdf
            Content-Disposition: {disposition}

            %PDF
            --m--
            """);

        Assert.Equal("Frösche.pdf", Assert.Single(message.Attachments).FileName);
    }

    private static IReadOnlyList<MessageAddress> Field(NormalizedMessage message, string field) => field switch
    {
        "From" => message.From,
        "To" => message.To,
        "Cc" => message.Cc,
        "Bcc" => message.Bcc,
        "Reply-To" => message.ReplyTo,
        "Sender" => message.Sender,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };
}

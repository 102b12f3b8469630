using System.Text;
using Mailroom.Core.Messages;

namespace Mailroom.Core.Tests.Messages;

public sealed class CharsetTests
{
    static CharsetTests() => Charsets.EnsureRegistered();

    [Theory]
    [InlineData("utf-8", 65001)]
    [InlineData("UTF8", 65001)]
    [InlineData("\"koi8-r\"", 20866)]
    [InlineData("x-koi8-r", 20866)]
    [InlineData("cp1251", 1251)]
    [InlineData("win-1251", 1251)]
    [InlineData("windows1251", 1251)]
    [InlineData("ISO-2022-JP", 50220)]
    [InlineData("gb2312", 54936)]
    [InlineData("GBK", 54936)]
    [InlineData("gb18030", 54936)]
    [InlineData("iso8859-1", 28591)]
    [InlineData("iso_8859-15", 28605)]
    [InlineData("ks_c_5601-1987", 949)]
    [InlineData("shift-jis", 932)]
    [InlineData("cp866", 866)]
    public void Charset_labels_resolve_to_the_encoding_mail_means(string label, int codePage)
    {
        Assert.Equal(codePage, Charsets.Resolve(label)?.CodePage);
    }

    [Theory]
    [InlineData("x-klingon")]
    [InlineData("unknown-8bit")]
    [InlineData("")]
    public void Unknown_charset_labels_resolve_to_nothing(string label)
    {
        Assert.Null(Charsets.Resolve(label));
    }

    [Theory]
    [InlineData("koi8-r")]
    [InlineData("windows-1251")]
    [InlineData("iso-2022-jp")]
    [InlineData("gb18030")]
    [InlineData("shift_jis")]
    [InlineData("euc-kr")]
    [InlineData("big5")]
    public void Text_in_a_declared_charset_is_decoded(string charset)
    {
        var text = charset switch
        {
            "koi8-r" or "windows-1251" => "Привет, мир",
            "gb18030" => "你好，世界",
            "euc-kr" => "안녕하세요",
            "big5" => "繁體中文",
            _ => "こんにちは世界",
        };
        var bytes = Encoding.GetEncoding(charset).GetBytes(text);

        var problems = new ProblemList();
        var decoded = TextDecoder.Decode(bytes, charset, null, "part 1", problems, () => Charsets.Windows1252);

        Assert.Equal(text, decoded);
        Assert.Empty(problems.ToList());
    }

    [Fact]
    public void Invalid_utf8_falls_back_to_the_fallback_charset_with_a_problem()
    {
        var bytes = Encoding.GetEncoding(1251).GetBytes("Привет");
        var problems = new ProblemList();

        var decoded = TextDecoder.Decode(bytes, "utf-8", null, "part 1", problems, () => Encoding.GetEncoding(1251));

        Assert.Equal("Привет", decoded);
        Assert.Contains("part 1: declared charset utf-8 but the text is not valid UTF-8; read as windows-1251", problems.ToList());
    }

    [Fact]
    public void Utf8_text_under_a_single_byte_label_is_read_as_utf8_with_a_problem()
    {
        var problems = new ProblemList();

        var decoded = TextDecoder.Decode("Grüße"u8, "iso-8859-1", null, "part 2", problems, () => Charsets.Windows1252);

        Assert.Equal("Grüße", decoded);
        Assert.Single(problems.ToList());
    }

    [Fact]
    public void Latin1_label_reads_windows_1252_punctuation()
    {
        var problems = new ProblemList();

        var decoded = TextDecoder.Decode([0x93, 0x71, 0x94, 0x20, 0x80], "iso-8859-1", null, "part 1", problems, () => Charsets.Windows1252);

        Assert.Equal("\u201Cq\u201D €", decoded);
        Assert.Empty(problems.ToList());
    }

    [Fact]
    public void Eight_bit_text_under_us_ascii_is_a_problem()
    {
        var problems = new ProblemList();

        var decoded = TextDecoder.Decode("naïve"u8, "us-ascii", null, "part 1", problems, () => Charsets.Windows1252);

        Assert.Equal("naïve", decoded);
        Assert.Single(problems.ToList());
    }

    [Fact]
    public void Html_without_charset_parameter_uses_its_meta_charset()
    {
        var html = Encoding.GetEncoding(1251).GetBytes("<html><head><meta charset=\"windows-1251\"></head><body>Привет</body></html>");
        var raw = Encoding.ASCII.GetBytes("Content-Type: text/html\r\nContent-Transfer-Encoding: 8bit\r\n\r\n").Concat(html).ToArray();

        var message = MessageNormalizer.Normalize(raw);

        Assert.Contains("Привет", message.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("Привет", message.Snippet);
    }

    [Fact]
    public void Raw_8bit_header_is_read_in_the_charset_the_body_declares()
    {
        var raw = Encoding.ASCII.GetBytes("Subject: ").Concat(Encoding.GetEncoding(1251).GetBytes("Отчёт"))
            .Concat(Encoding.ASCII.GetBytes("\r\nContent-Type: text/plain; charset=windows-1251\r\n\r\nx\r\n")).ToArray();

        var message = MessageNormalizer.Normalize(raw);

        Assert.Equal("Отчёт", message.Subject);
        Assert.Contains("Subject header has 8-bit text that is not UTF-8; read as windows-1251", message.Problems);
    }

    [Fact]
    public void Damaged_utf8_stays_utf8_with_the_bad_bytes_replaced()
    {
        var raw = "Subject: Юникод запрещен"u8.ToArray().Append((byte)0xD0)
            .Concat("\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nПривет"u8.ToArray()).Append((byte)0xFF).ToArray();

        var message = MessageNormalizer.Normalize(raw);

        Assert.Equal("Юникод запрещен\uFFFD", message.Subject);
        Assert.Equal("Привет\uFFFD", message.TextBody);
        Assert.Contains("Subject header has invalid UTF-8; the invalid bytes were replaced", message.Problems);
        Assert.Contains("part 1: declared charset utf-8 but the text is not valid UTF-8; read as utf-8 with the invalid bytes replaced", message.Problems);
    }

    [Fact]
    public void Raw_utf8_header_is_fine()
    {
        var message = TestMessages.Normalize("Subject: Grüße aus Zürich\nFrom: Jörg <jörg@example.com>\n\nx\n");

        Assert.Equal("Grüße aus Zürich", message.Subject);
        Assert.Equal(new MessageAddress("Jörg", "jörg@example.com"), Assert.Single(message.From));
        Assert.DoesNotContain(message.Problems, p => p.Contains("8-bit", StringComparison.Ordinal));
    }
}

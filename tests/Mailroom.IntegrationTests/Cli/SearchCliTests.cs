using System.Text;
using System.Text.Json;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.TestSupport;

namespace Mailroom.IntegrationTests.Cli;

/// <summary>
/// <c>mailroom search</c> as a person runs it, over mail imported from .eml files with the encodings real mail uses
/// (RFC 2047 subjects, base64 and quoted-printable UTF-8, ISO-2022-JP), so the whole path from MIME to the index runs.
/// </summary>
public sealed class SearchCliTests : IDisposable
{
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-search-");

    static SearchCliTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<(int ExitCode, string Stdout, string Stderr)> Run(params string[] args) =>
        MailroomProcess.RunAsync(["--data", _data, .. args]);

    [Fact]
    public async Task Imported_russian_german_and_japanese_mail_is_found_by_its_words()
    {
        var emls = Path.Combine(_data, "emls");
        Directory.CreateDirectory(emls);
        await File.WriteAllBytesAsync(Path.Combine(emls, "ru.eml"), Encoding.ASCII.GetBytes(
            "From: =?UTF-8?B?0JjQstCw0L0=?= <ivan@example.ru>\r\nTo: hr@example.com\r\n" +
            "Subject: =?UTF-8?B?0JLRgdGC0YDQtdGH0LA=?=\r\nDate: Mon, 02 Mar 2026 10:00:00 +0000\r\nMessage-ID: <ru@search>\r\n" +
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
            Convert.ToBase64String(Encoding.UTF8.GetBytes("Привет! Завтра собеседование с кандидатом.")) + "\r\n"), Ct);
        await File.WriteAllBytesAsync(Path.Combine(emls, "de.eml"), Encoding.ASCII.GetBytes(
            "From: =?ISO-8859-1?Q?J=FCrgen_Wei=DF?= <jw@example.de>\r\nTo: hr@example.com\r\nSubject: Bewerbung\r\n" +
            "Date: Tue, 03 Mar 2026 10:00:00 +0000\r\nMessage-ID: <de@search>\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
            "<p>Sehr geehrte Frau M=C3=BCller, Gr=C3=BC=C3=9Fe aus K=C3=B6ln</p>\r\n"), Ct);
        // "面接のご案内" / "東京オフィスで面接を行います。" in ISO-2022-JP, as Japanese mail is often sent.
        var jis = Encoding.GetEncoding("iso-2022-jp");
        await File.WriteAllBytesAsync(Path.Combine(emls, "ja.eml"), [.. Encoding.ASCII.GetBytes(
            "From: tanaka@example.jp\r\nTo: hr@example.com\r\nSubject: =?ISO-2022-JP?B?" + Convert.ToBase64String(jis.GetBytes("面接のご案内")) + "?=\r\n" +
            "Date: Wed, 04 Mar 2026 10:00:00 +0000\r\nMessage-ID: <ja@search>\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"),
            .. jis.GetBytes("東京オフィスで面接を行います。"), .. "\r\n"u8.ToArray()], Ct);

        var import = await Run("import", emls, "--account", "archive", "--quiet");
        Assert.True(import.ExitCode == 0, import.Stderr);

        var russian = await Run("search", "собеседование");
        Assert.True(russian.ExitCode == 0, russian.Stderr);
        Assert.Contains("Встреча", russian.Stdout, StringComparison.Ordinal);
        Assert.Contains("*собеседование*", russian.Stdout, StringComparison.Ordinal);

        foreach (var word in new[] { "Müller", "muller", "mueller", "from:weiss", "koeln" })
        {
            var german = await Run("search", word);
            Assert.True(german.Stdout.Contains("Bewerbung", StringComparison.Ordinal), $"{word}: {german.Stdout}{german.Stderr}");
        }

        var japanese = await Run("search", "東京", "--json");
        Assert.True(japanese.ExitCode == 0, japanese.Stderr);
        var hit = JsonDocument.Parse(japanese.Stdout).RootElement.GetProperty("items").EnumerateArray().Single();
        Assert.Equal("面接のご案内", hit.GetProperty("subject").GetString());
        Assert.Equal("<mark>東京</mark>オフィスで面接を行います。", hit.GetProperty("snippetHtml").GetString());
        Assert.Contains("面接のご*案内*", (await Run("search", "subject:案内")).Stdout, StringComparison.Ordinal);

        var bad = await Run("search", "\"unbalanced");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("Unbalanced quote", bad.Stderr, StringComparison.Ordinal);
        var nothing = await Run("search", "zebra");
        Assert.Equal(0, nothing.ExitCode);
        Assert.Contains("No messages.", nothing.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => TestArtifacts.DeleteFolder(_data);
}

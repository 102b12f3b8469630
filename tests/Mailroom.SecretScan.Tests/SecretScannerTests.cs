using System.Text;

namespace Mailroom.SecretScan.Tests;

/// <summary>The scanner finds planted secrets in every form, with file and offset, and nothing in clean data.</summary>
public sealed class SecretScannerTests : IDisposable
{
    private static readonly Secret Password = new(SecretKind.Password, "password of mr7", "mr7pass", ["mr7", "mr7@mailroom.test"]);
    private static readonly Secret Token = new(SecretKind.Token, "access_token (test)", "q0Vd3pZ_x8Yk2LmN4bR7tW9sC1fH6jA5eU3iO0gT-Kc", ["mr12", "mr12@mailroom.test"]);
    private readonly string _folder = Directory.CreateTempSubdirectory("mailroom-scan-").FullName;

    private static List<Finding> Scan(byte[] bytes, params Secret[] secrets) =>
        [.. new SecretScanner(secrets.Length > 0 ? secrets : [Password, Token]).Scan(new MemoryStream(bytes), "test")];

    private static byte[] Noise(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void Plaintext_is_found_at_its_byte_offset()
    {
        var bytes = Noise(10_000, 1);
        Encoding.ASCII.GetBytes("login ok, password mr7pass.").CopyTo(bytes, 5000);

        var finding = Assert.Single(Scan(bytes));
        Assert.Equal((5000L + "login ok, password ".Length, "plaintext", Password), (finding.Offset, finding.Form, finding.Secret));
        Assert.Contains("test at byte 5019: Password password of mr7 (plaintext)", finding.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("mr7pass", finding.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void A_token_inside_base64_is_found_whatever_bytes_come_before_it(int before)
    {
        var text = Encoding.ASCII.GetBytes(new string('x', before) + Token.Value + "&next=1");
        var logged = Encoding.ASCII.GetBytes("header: " + Convert.ToBase64String(text) + "\n");

        var finding = Assert.Single(Scan(logged));
        Assert.Equal(Token, finding.Secret);
        Assert.Equal($"base64 (alignment {before % 3})", finding.Form);
    }

    [Fact]
    public void Base64url_of_a_token_is_found()
    {
        var secret = Token with { Value = "??>>token-with-plus-and-slash>>??~~" };
        var url = Convert.ToBase64String(Encoding.ASCII.GetBytes(secret.Value)).Replace('+', '-').Replace('/', '_');
        Assert.Contains("-", url, StringComparison.Ordinal);

        Assert.Contains(Scan(Encoding.ASCII.GetBytes(url), secret), f => f.Form == "base64url (alignment 0)");
    }

    [Fact]
    public void Sasl_plain_and_xoauth2_and_oauthbearer_transcripts_are_found()
    {
        var plain = Convert.ToBase64String(Encoding.ASCII.GetBytes("\0mr7@mailroom.test\0mr7pass"));
        var xoauth2 = Convert.ToBase64String(Encoding.ASCII.GetBytes($"user=mr12\u0001auth=Bearer {Token.Value}\u0001\u0001"));
        var bearer = Convert.ToBase64String(Encoding.ASCII.GetBytes($"n,a=mr12@mailroom.test,\u0001auth=Bearer {Token.Value}\u0001\u0001"));
        var transcript = $"C: A1 AUTHENTICATE PLAIN {plain}\r\nC: A2 AUTHENTICATE XOAUTH2 {xoauth2}\r\nC: AUTH OAUTHBEARER {bearer}\r\n";

        var findings = Scan(Encoding.ASCII.GetBytes(transcript));
        Assert.Contains(findings, f => f.Secret == Password && f.Form == "SASL PLAIN base64 (mr7@mailroom.test)");
        Assert.Contains(findings, f => f.Secret == Token && f.Form == "XOAUTH2 base64 (mr12)");
        Assert.Contains(findings, f => f.Secret == Token && f.Form == "OAUTHBEARER base64 (mr12@mailroom.test)");
        var xoauth2At = transcript.IndexOf(xoauth2, StringComparison.Ordinal);
        Assert.Contains(findings, f => f.Offset == xoauth2At && f.Form == "XOAUTH2 base64 (mr12)");
    }

    [Fact]
    public void A_secret_across_the_chunk_boundary_is_found_once()
    {
        var bytes = Noise(9 * 1024 * 1024, 2);
        var at = 4 * 1024 * 1024 - 10;
        Encoding.ASCII.GetBytes(Token.Value).CopyTo(bytes, at);
        Encoding.ASCII.GetBytes(Token.Value).CopyTo(bytes, 8 * 1024 * 1024 - 3);

        var findings = Scan(bytes).Where(f => f.Form == "plaintext").Select(f => f.Offset).ToList();
        Assert.Equal([at, 8L * 1024 * 1024 - 3], findings);
    }

    [Fact]
    public void Clean_data_has_no_findings()
    {
        // 3 MB of random base64 (like attachments in raw MIME) and the users' names without their passwords.
        var text = Convert.ToBase64String(Noise(3 * 1024 * 1024, 3)) + "user=mr7 mr7@mailroom.test mr12 pass password mr7pas mr7 pass";
        Assert.Empty(Scan(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Suite_scan_reports_the_file_and_offset_skips_the_ledgers_and_reads_server_logs_from_their_start_offset()
    {
        var root = Path.Combine(_folder, "artifacts");
        Directory.CreateDirectory(Path.Combine(root, "data", "mailroom-it-1"));
        Directory.CreateDirectory(Path.Combine(root, "logs"));
        Directory.CreateDirectory(Path.Combine(root, "ledger"));
        var page = Noise(8192, 4);
        "SQLite format 3\0"u8.ToArray().CopyTo(page, 0);
        Encoding.ASCII.GetBytes(Token.Value).CopyTo(page, 4000);
        File.WriteAllBytes(Path.Combine(root, "data", "mailroom-it-1", "mailroom.db"), page);
        File.WriteAllText(Path.Combine(root, "logs", "host-1.log"), "info: connected\n");
        File.WriteAllText(Path.Combine(root, "ledger", "tests-1.tsv"), $"oauth\t{Token.Value}\n");
        // A server log whose old part (before the run) holds a password: only the part after the offset counts.
        const string before = "old: mr7pass\n", after = "new: auth ok\nnew: leaked mr7pass\n";
        var serverLog = Path.Combine(_folder, "server.log");
        File.WriteAllText(serverLog, before + after);
        File.WriteAllText(Path.Combine(root, "server-logs.tsv"), $"{serverLog}\t{before.Length}\n");

        var scan = new SuiteScan(new SecretScanner([Password, Token]));
        scan.ScanArtifacts(root);

        Assert.Equal(
            [$"{Path.Combine("data", "mailroom-it-1", "mailroom.db")} at byte 4000: Token access_token (test) (plaintext)",
             $"{serverLog} at byte {before.Length + after.IndexOf("mr7pass", StringComparison.Ordinal)}: Password password of mr7 (plaintext)"],
            scan.Findings.Select(f => f.ToString()).ToList());
        Assert.Equal((3, 1, 1), (scan.Files, scan.SqliteDatabases, scan.LogFiles));
        Assert.Equal(after.Length, scan.ServerLogBytes[serverLog]);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

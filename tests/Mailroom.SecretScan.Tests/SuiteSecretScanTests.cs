using System.Globalization;
using System.Text;

namespace Mailroom.SecretScan.Tests;

/// <summary>
/// The last test of scripts/test.sh (filtered as <c>Category=FinalScan</c>, after every other test has finished): the
/// whole suite's databases and logs, and the test servers' logs of this run, hold no test password and no token, in
/// plaintext or in any base64 form a protocol transcript would use.
/// </summary>
public sealed class SuiteSecretScanTests
{
    [Fact]
    [Trait("Category", "FinalScan")]
    public void No_test_password_or_token_appears_in_the_suites_databases_and_logs()
    {
        if (TestSecrets.Env("MAILROOM_TEST_ARTIFACTS") is not { } root)
        {
            Assert.Skip("runs as the last step of scripts/test.sh, over what the suite kept in MAILROOM_TEST_ARTIFACTS");
            return;
        }
        Assert.True(Directory.Exists(root), $"the artifacts folder {root} does not exist: the suite kept nothing");

        var passwords = TestSecrets.Passwords();
        var ledgers = Directory.Exists(Path.Combine(root, SuiteScan.LedgerFolder))
            ? Directory.GetFiles(Path.Combine(root, SuiteScan.LedgerFolder)).ToList()
            : [];
        if (TestSecrets.Env("MAILROOM_TEST_OIDC_TOKENS") is { } providerLedger)
            ledgers.Add(providerLedger);
        var tokens = TestSecrets.Tokens(ledgers);
        var scanner = new SecretScanner([.. passwords, .. tokens]);
        var scan = new SuiteScan(scanner);
        scan.ScanArtifacts(root);

        var summary = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"secret scan: {passwords.Count} passwords and {tokens.Count} tokens ({scanner.PatternCount} patterns) ")
            .Append(CultureInfo.InvariantCulture, $"in {scan.Files} files, {scan.Bytes / (1024.0 * 1024):F1} MB: {scan.SqliteDatabases} SQLite databases, ")
            .Append(CultureInfo.InvariantCulture, $"{scan.PostgresDumps} PostgreSQL dumps, {scan.LogFiles} Mailroom logs, server logs ")
            .AppendJoin(", ", scan.ServerLogBytes.Select(kv => $"{Path.GetFileName(kv.Key)} {kv.Value / 1024.0:F0} KB"))
            .Append(CultureInfo.InvariantCulture, $"; {scan.Findings.Count} found").ToString();
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        File.WriteAllText(root.TrimEnd('/') + ".summary", summary + "\n");

        var shown = string.Join("\n", scan.Findings.Take(50));
        Assert.True(scan.Findings.Count == 0,
            $"{scan.Findings.Count} secret(s) found (artifacts kept in {root}):\n{shown}");

        // Not vacuous: the suite really left databases and logs, and there were secrets to look for.
        Assert.True(passwords.Count >= 20, $"only {passwords.Count} test passwords known");
        Assert.True(tokens.Count >= 2, $"only {tokens.Count} tokens in the ledgers ({string.Join(", ", ledgers)}): did the OAuth tests run?");
        Assert.True(scan.SqliteDatabases >= 1, "no SQLite database was kept");
        if (TestSecrets.Env("MAILROOM_TEST_PG") is not null)
            Assert.True(scan.PostgresDumps >= 1, "no PostgreSQL test database was dumped");
        Assert.True(scan.LogFiles >= 1, "no Mailroom log was kept");
        foreach (var server in new[] { "dovecot.log", "postfix.log" })
        {
            Assert.True(scan.ServerLogBytes.Any(kv => Path.GetFileName(kv.Key) == server && kv.Value > 0),
                $"{server} was not scanned, or nothing was logged to it during the run");
        }
        Assert.True(scan.Files >= 20 && scan.Bytes >= 1024 * 1024, $"only {scan.Files} files, {scan.Bytes} bytes scanned");
    }
}

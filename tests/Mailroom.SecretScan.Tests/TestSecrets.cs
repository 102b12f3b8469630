namespace Mailroom.SecretScan.Tests;

/// <summary>
/// Every secret the suite handed to Mailroom or got from the OpenID test provider: the test users' passwords (from the
/// test Dovecot's passwd-file, the same source its logins are checked against), the OAuth client secret, and every
/// token in the provider's ledger (MAILROOM_TEST_OIDC_TOKENS) and in the tests' own ledgers.
/// </summary>
internal static class TestSecrets
{
    private const string Domain = "mailroom.test";

    public static List<Secret> Passwords()
    {
        var secrets = new List<Secret>();
        var work = Env("MAILROOM_TEST_WORK") ?? "/var/tmp/mailroom-test";
        var users = Path.Combine(work, "dovecot", "users");
        if (File.Exists(users))
        {
            // mr1:{PLAIN}mr1pass:::: (scripts/lib/dovecot.sh)
            foreach (var line in File.ReadLines(users))
            {
                if (line.Split(':') is [var user, var password, ..] && password.StartsWith("{PLAIN}", StringComparison.Ordinal))
                    secrets.Add(new Secret(SecretKind.Password, $"password of {user}", password["{PLAIN}".Length..], [user, $"{user}@{Domain}"]));
            }
        }
        else
        {
            // scripts/lib/common.sh: mr_pass USER = USERpass
            foreach (var user in (Env("MAILROOM_TEST_USERS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                secrets.Add(new Secret(SecretKind.Password, $"password of {user}", user + "pass", [user, $"{user}@{Domain}"]));
        }
        if (Env("MAILROOM_TEST_OIDC_CLIENT_SECRET") is { } clientSecret)
            secrets.Add(new Secret(SecretKind.Password, "OAuth client secret", clientSecret, []));
        return secrets;
    }

    /// <summary>Tokens from the ledgers (kind TAB token per line); the same token twice is one secret.</summary>
    public static List<Secret> Tokens(IEnumerable<string> ledgers)
    {
        var user = Env("MAILROOM_TEST_OIDC_USER") ?? "mr12";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var secrets = new List<Secret>();
        foreach (var ledger in ledgers.Where(File.Exists))
        {
            var number = 0;
            foreach (var line in File.ReadLines(ledger))
            {
                number++;
                if (line.Split('\t') is not [var kind, var token] || token.Length == 0 || !seen.Add(token))
                    continue;
                secrets.Add(new Secret(SecretKind.Token, $"{kind} ({Path.GetFileName(ledger)} line {number})", token, [user, $"{user}@{Domain}"]));
            }
        }
        return secrets;
    }

    public static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
}

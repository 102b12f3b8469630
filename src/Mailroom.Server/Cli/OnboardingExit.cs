using Mailroom.Server.Accounts;

namespace Mailroom.Server.Cli;

/// <summary>What <c>account add</c> says and exits with when <see cref="MailboxOnboarding"/> did not add the mailbox.</summary>
internal static class OnboardingExit
{
    /// <summary>The request fields (the API's names) as <c>account add</c> spells the options that set them.</summary>
    private static readonly Dictionary<string, string> Options = new(StringComparer.Ordinal)
    {
        ["address"] = "ADDRESS or --address",
        ["protocol"] = "--imap or --pop3",
        ["host"] = "--imap or --pop3",
        ["port"] = "--imap or --pop3 HOST:PORT",
        ["userName"] = "--user",
        ["allowPlaintext"] = "--allow-plaintext",
        ["name"] = "--name",
        ["scope"] = "--scope",
        ["smtp.host"] = "--smtp",
        ["smtp.port"] = "--smtp HOST:PORT",
    };

    public static int ExitCode(OnboardingResult result) => result.Failure switch
    {
        OnboardingFailure.None => ExitCodes.Ok,
        OnboardingFailure.Invalid or OnboardingFailure.NameTaken => ExitCodes.Usage,
        OnboardingFailure.FileNotFound or OnboardingFailure.NotDiscovered => ExitCodes.NotFound,
        OnboardingFailure.LoginFailed or OnboardingFailure.SmtpLoginFailed =>
            result.LoginError is { } kind ? SyncCommand.ExitCodeFor(kind) : ExitCodes.Failure,
    };

    public static string Message(OnboardingResult result) => result.Failure switch
    {
        OnboardingFailure.Invalid when result.Field is { } field && Options.TryGetValue(field, out var option) => $"{result.Error} ({option})",
        OnboardingFailure.NotDiscovered => $"{result.Error} Give the server with --imap or --pop3.",
        _ => result.Error ?? "",
    };

    /// <summary>Prints the error and returns the exit code.</summary>
    public static int Report(OnboardingResult result) => CliOutput.Error(ExitCode(result), Message(result));
}

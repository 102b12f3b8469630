using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Server.Accounts;
using Mailroom.Server.Api.V1;
using Mailroom.Server.Cli;

namespace Mailroom.Server.Tests.Accounts;

/// <summary>One onboarding result, two vocabularies: the CLI's exit codes and options, the API's problem details and fields.</summary>
public sealed class OnboardingResultMappingTests
{
    public static TheoryData<string, int, int> Failures => new()
    {
        // failure, CLI exit code, HTTP status
        { "invalid", ExitCodes.Usage, 400 },
        { "ca-missing", ExitCodes.NotFound, 500 },
        { "not-discovered", ExitCodes.NotFound, 422 },
        { "login-refused", ExitCodes.AuthenticationFailed, 422 },
        { "login-unreachable", ExitCodes.Unreachable, 502 },
        { "login-misconfigured", ExitCodes.Misconfigured, 422 },
        { "smtp-refused", ExitCodes.AuthenticationFailed, 422 },
        { "smtp-unreachable", ExitCodes.Unreachable, 502 },
        { "name-taken", ExitCodes.Usage, 409 },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Each_failure_has_its_exit_code_and_its_problem(string failure, int exitCode, int status)
    {
        var result = Result(failure);

        Assert.Equal(exitCode, OnboardingExit.ExitCode(result));
        var problem = OnboardingProblems.For(result);
        Assert.Equal(status, problem.StatusCode);
        Assert.Equal(status, problem.ProblemDetails.Status);
        Assert.False(string.IsNullOrEmpty(problem.ProblemDetails.Title));
        Assert.False(string.IsNullOrEmpty(problem.ProblemDetails.Detail));
    }

    [Fact]
    public void An_invalid_field_is_named_as_each_caller_spells_it()
    {
        var result = OnboardingResult.Invalid("allowPlaintext", "security none sends the password in clear text; allow plaintext to use it for this mailbox.");

        Assert.EndsWith("(--allow-plaintext)", OnboardingExit.Message(result), StringComparison.Ordinal);
        var detail = OnboardingProblems.For(result).ProblemDetails.Detail!;
        Assert.StartsWith("Security none", detail, StringComparison.Ordinal);
        Assert.EndsWith("(field: allowPlaintext)", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_discovered_tells_each_caller_how_to_give_the_server()
    {
        var result = Result("not-discovered");

        Assert.Contains("--imap or --pop3", OnboardingExit.Message(result), StringComparison.Ordinal);
        Assert.Contains("host, port and security", OnboardingProblems.For(result).ProblemDetails.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Success_is_exit_code_zero_and_no_problem()
    {
        var record = new MailboxRecord(1, 1, "m", MailboxProtocol.Imap, new MailboxSettings { Host = "h", Port = 993, UserName = "u" },
            MailboxState.New, DateTimeOffset.UnixEpoch, null, null);
        var result = OnboardingResult.Success(record, "explicit", null);

        Assert.True(result.Added);
        Assert.Equal(ExitCodes.Ok, OnboardingExit.ExitCode(result));
        Assert.Throws<ArgumentException>(() => OnboardingProblems.For(result));
    }

    private static OnboardingResult Result(string failure) => failure switch
    {
        "invalid" => OnboardingResult.Invalid("host", "'a b' is not a valid host name."),
        "ca-missing" => OnboardingResult.Failed(OnboardingFailure.FileNotFound, "no such CA file: /nowhere/ca.pem"),
        "not-discovered" => OnboardingResult.Failed(OnboardingFailure.NotDiscovered, "no working IMAP or POP3 settings found for example.org."),
        "login-refused" => Login(OnboardingFailure.LoginFailed, ConnectorErrorKind.AuthenticationFailed),
        "login-unreachable" => Login(OnboardingFailure.LoginFailed, ConnectorErrorKind.Transient),
        "login-misconfigured" => Login(OnboardingFailure.LoginFailed, ConnectorErrorKind.Misconfigured),
        "smtp-refused" => Login(OnboardingFailure.SmtpLoginFailed, ConnectorErrorKind.AuthenticationFailed),
        "smtp-unreachable" => Login(OnboardingFailure.SmtpLoginFailed, ConnectorErrorKind.Transient),
        "name-taken" => OnboardingResult.Failed(OnboardingFailure.NameTaken, "A mailbox named 'm' already exists in this organization."),
        _ => throw new ArgumentOutOfRangeException(nameof(failure)),
    };

    private static OnboardingResult Login(OnboardingFailure failure, ConnectorErrorKind kind) =>
        OnboardingResult.Failed(failure, "the server said no.", loginError: kind);
}

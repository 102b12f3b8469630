using Mailroom.Core.Connectors;
using Mailroom.Server.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Server.Api.V1;

/// <summary>The problem details for a mailbox that <see cref="MailboxOnboarding"/> did not add (the API and the OAuth callback).</summary>
internal static class OnboardingProblems
{
    public static ProblemHttpResult For(OnboardingResult result)
    {
        var detail = Capitalized(result.Error ?? "");
        return result.Failure switch
        {
            OnboardingFailure.Invalid => Problems.BadRequest(result.Field is { } field ? $"{detail} (field: {field})" : detail),
            // The API names no file; a CA file that is missing is the operator's configuration (Discovery:TrustedCaFile).
            OnboardingFailure.FileNotFound => TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError,
                title: "Server misconfigured", detail: detail),
            OnboardingFailure.NotDiscovered => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Settings not found", detail: detail + " Give host, port and security."),
            OnboardingFailure.LoginFailed or OnboardingFailure.SmtpLoginFailed =>
                result.LoginError is ConnectorErrorKind.AuthenticationFailed or ConnectorErrorKind.ReauthorizationRequired or ConnectorErrorKind.Misconfigured
                    ? TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Login failed", detail: detail)
                    : Problems.BadGateway(detail),
            OnboardingFailure.NameTaken => Problems.Conflict(detail),
            OnboardingFailure.None => throw new ArgumentException("The mailbox was added; there is no problem to report.", nameof(result)),
        };
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}

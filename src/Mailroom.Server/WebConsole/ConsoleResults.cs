using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Server.WebConsole;

/// <summary>
/// The console calls the /v1 endpoints' own handlers (the same checks, the same organization scoping) and reads their
/// results here: the value of a success, or the problem's words for the person.
/// </summary>
internal static class ConsoleResults
{
    /// <summary>The problem's detail (or title) when the result is a problem; null for a success.</summary>
    public static string? ProblemText(IResult result) => result is ProblemHttpResult p
        ? p.ProblemDetails.Detail ?? p.ProblemDetails.Title ?? "The request failed."
        : null;

    public static int? ProblemStatus(IResult result) => result is ProblemHttpResult p ? p.StatusCode : null;

    public static T? Value<T>(IResult result) where T : class => (result as IValueHttpResult)?.Value as T;
}

using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Server.Api.V1;

/// <summary>The ProblemDetails the API answers with. Another organization's ids are "not found", exactly like missing ones.</summary>
internal static class Problems
{
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No {what}.");

    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request", detail: detail);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    public static ProblemHttpResult BadGateway(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Mail server problem", detail: detail);
}

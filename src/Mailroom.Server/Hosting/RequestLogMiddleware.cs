using System.Diagnostics;

namespace Mailroom.Server.Hosting;

/// <summary>
/// One line per HTTP request when <c>LogRequests</c> is on: method, path, status and duration. The path only: a query
/// string can carry an OAuth authorization code or a view link's token.
/// </summary>
internal sealed class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            // Outermost, so the status is the one sent, including the exception handler's 500.
            var request = context.Request;
            Log.Request(logger, request.Method, request.PathBase + request.Path, context.Response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}

using System.Globalization;
using Mailroom.Core.Events;
using Mailroom.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Server.Api.V1;

/// <summary>
/// <c>GET /v1/changes?cursor=&amp;limit=&amp;wait=</c>: the caller's organization's events after <c>cursor</c>, in
/// order. Event ids follow commit order (see the storage's PendingEvents), so a client that always asks with the
/// cursor it was last given sees every event once. With <c>wait=N</c> an empty answer is held up to N seconds until
/// an event arrives: commits in this process wake it at once, other processes' commits are found by polling.
/// </summary>
internal static class ChangesEndpoints
{
    public static RouteGroupBuilder MapChanges(this RouteGroupBuilder v1)
    {
        v1.MapGet("/changes", GetAsync)
            .WithName("GetChanges")
            .WithSummary("Events after a cursor, in commit order, with optional long-poll.");
        return v1;
    }

    private static async Task<Results<Ok<ChangesPage>, ProblemHttpResult>> GetAsync(
        HttpContext http, IEventStore events, EventSignal signal, ChangesOptions options, TimeProvider time,
        string? cursor = null, int? limit = null, int? wait = null)
    {
        var organizationId = http.User.OrganizationId();
        var cancellationToken = http.RequestAborted;
        long after;
        if (string.IsNullOrEmpty(cursor))
            after = 0;
        else if (cursor == "latest")
            after = await events.LatestIdAsync(cancellationToken);
        else if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after))
            return Problems.BadRequest("cursor must be a cursor this API returned, or 'latest'.");

        var size = limit ?? options.DefaultLimit;
        if (size is < 1 or > ChangesOptions.MaxLimit)
            return Problems.BadRequest($"limit must be between 1 and {ChangesOptions.MaxLimit}.");
        var maxWait = (int)options.MaxWait.TotalSeconds;
        if (wait is < 0 || wait > maxWait)
            return Problems.BadRequest($"wait must be between 0 and {maxWait} seconds.");

        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(wait ?? 0);
        while (true)
        {
            // Taken before reading: a commit between the read and the wait still wakes us.
            var next = signal.Next;
            var page = await events.ReadAsync(organizationId, after, size + 1, cancellationToken);
            var remaining = deadline - time.GetUtcNow();
            if (page.Count > 0 || remaining <= TimeSpan.Zero)
            {
                var shown = page.Take(size).Select(EventView.From).ToList();
                var nextCursor = shown.Count == 0 ? after : shown[^1].Id;
                return TypedResults.Ok(new ChangesPage(shown, nextCursor.ToString(CultureInfo.InvariantCulture), page.Count > size));
            }

            await EventSignal.WaitAsync(next, remaining < options.PollInterval ? remaining : options.PollInterval, time, cancellationToken);
        }
    }
}

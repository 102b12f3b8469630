namespace Mailroom.Storage.Queries;

/// <summary>
/// One page of a search, newest first, and the position after its last row (null on the last page); or, instead, why
/// the query's filters name nothing in the organization (an unknown folder, mailbox or contact: a 400 for the caller).
/// </summary>
public sealed record SearchResults(IReadOnlyList<SearchHit> Hits, DateKeyset? Next, string? Problem)
{
    internal static SearchResults Refused(string problem) => new([], null, problem);
}

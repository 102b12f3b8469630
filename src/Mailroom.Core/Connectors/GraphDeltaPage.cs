namespace Mailroom.Core.Connectors;

/// <summary>One page of a folder's message delta.</summary>
/// <param name="Changes">The messages changed or added, and those removed from the folder.</param>
/// <param name="NextLink">The next page's link; null on the last page.</param>
/// <param name="DeltaLink">On the last page: the folder's new cursor.</param>
public sealed record GraphDeltaPage(IReadOnlyList<GraphMessageChange> Changes, string? NextLink, string? DeltaLink);

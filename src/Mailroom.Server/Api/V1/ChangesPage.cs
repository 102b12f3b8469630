namespace Mailroom.Server.Api.V1;

/// <summary>
/// A page of the changes feed: events after the cursor asked for, oldest first, and the cursor to ask with next
/// (the last event's id; unchanged when the page is empty). <see cref="HasMore"/> says the next page is ready now.
/// </summary>
internal sealed record ChangesPage(IReadOnlyList<EventView> Events, string Cursor, bool HasMore);

namespace Mailroom.Core.Search;

/// <summary>A parsed search (see docs/search.md): every term and every filter must hold.</summary>
/// <param name="Terms">Words and phrases, each in its field.</param>
/// <param name="HasAttachment">has:attachment: only messages with an attachment that is not inline.</param>
/// <param name="After">after:DATE: messages dated at or after the start of that day (UTC).</param>
/// <param name="Before">before:DATE: messages dated before the start of that day (UTC).</param>
/// <param name="Folder">in:FOLDER: a folder's path (any case) or role (inbox, sent, drafts, archive, all, junk, trash).</param>
/// <param name="Mailbox">mailbox:ID or mailbox:ADDRESS.</param>
/// <param name="Contact">contact:EXTERNAL_ID: messages linked to that contact of the organization.</param>
public sealed record SearchQuery(
    IReadOnlyList<SearchTerm> Terms, bool HasAttachment, DateTimeOffset? After, DateTimeOffset? Before, string? Folder, string? Mailbox,
    string? Contact)
{
    /// <summary>The terms to mark in a subject or body snippet: those not limited to an address field.</summary>
    public IReadOnlyList<string> HighlightTerms =>
        [.. Terms.Where(t => t.Field is SearchField.Any or SearchField.Subject).SelectMany(t => t.Terms).Distinct(StringComparer.Ordinal)];
}

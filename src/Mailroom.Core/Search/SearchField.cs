namespace Mailroom.Core.Search;

/// <summary>Where a term must occur: anywhere, or in one field of <see cref="SearchDocument"/>.</summary>
public enum SearchField
{
    Any,
    Subject,
    From,
    To,
}

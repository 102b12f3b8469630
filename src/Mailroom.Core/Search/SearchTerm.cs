namespace Mailroom.Core.Search;

/// <summary>
/// One word or quoted phrase of a query: its folded terms, which must occur in this order, next to each other (a word
/// that the tokenizer splits, like an address or a Japanese word, is a phrase of its parts).
/// </summary>
/// <param name="Prefix">The last term matches any indexed term it begins (a single CJK character, which is indexed only inside pairs).</param>
public sealed record SearchTerm(SearchField Field, IReadOnlyList<string> Terms, bool Prefix);

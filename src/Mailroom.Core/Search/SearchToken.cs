namespace Mailroom.Core.Search;

/// <summary>One indexed term and where it came from in the original text.</summary>
/// <param name="Start">Offset of the term's first character in the text that was tokenized.</param>
/// <param name="Length">Length of the term's source in that text.</param>
/// <param name="Term">The folded term as it is indexed and queried.</param>
/// <param name="Alternate">A second spelling indexed for the same word (German ä → ae), or null.</param>
public readonly record struct SearchToken(int Start, int Length, string Term, string? Alternate);

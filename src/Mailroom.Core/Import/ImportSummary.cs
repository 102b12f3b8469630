namespace Mailroom.Core.Import;

/// <summary>What an import did.</summary>
/// <param name="Read">Messages read from the archive.</param>
/// <param name="Stored">Messages given to the store (new to their folder).</param>
/// <param name="AlreadyPresent">Messages the folder already held from an earlier import.</param>
/// <param name="Folders">Folders written.</param>
public sealed record ImportSummary(long Read, long Stored, long AlreadyPresent, IReadOnlyList<string> Folders, TimeSpan Elapsed);

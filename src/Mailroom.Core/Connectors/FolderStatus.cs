namespace Mailroom.Core.Connectors;

/// <summary>The state of a folder when it was opened (RFC 3501 SELECT/EXAMINE, RFC 7162 HIGHESTMODSEQ).</summary>
public sealed record FolderStatus(uint UidValidity, uint? UidNext, ulong? HighestModSeq, int Count);

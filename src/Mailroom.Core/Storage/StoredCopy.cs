namespace Mailroom.Core.Storage;

/// <summary>A stored message as a candidate for a copy found on the server: its Message-ID and the size of its raw copy.</summary>
public sealed record StoredCopy(long MessageId, string MessageIdHeader, string RawSha256, long Size);

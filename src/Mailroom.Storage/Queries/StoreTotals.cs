namespace Mailroom.Storage.Queries;

/// <summary>Row counts across the whole store, or for one mailbox.</summary>
/// <param name="Messages">Distinct messages.</param>
/// <param name="Memberships">Folder memberships (one per UID).</param>
/// <param name="RawMime">Raw MIME copies, each stored once by SHA-256 (for one mailbox: those it references).</param>
/// <param name="RawBytes">The bytes of those raw copies.</param>
/// <param name="Addresses">Address rows.</param>
/// <param name="Attachments">Attachment rows.</param>
public sealed record StoreTotals(long Messages, long Memberships, long RawMime, long RawBytes, long Addresses, long Attachments);

namespace Mailroom.Storage.Model;

/// <summary>
/// Raw MIME, stored once per SHA-256. It lives in the database rather than in files so that it is written in
/// the same transaction as the rows that reference it, and so that every node sharing PostgreSQL sees it.
/// </summary>
internal sealed class RawMimeEntity
{
    public required string Sha256 { get; set; }
    public long Size { get; set; }
    public required byte[] Data { get; set; }
}

namespace Mailroom.Storage.Model;

/// <summary>
/// Raw MIME, stored once per SHA-256. On PostgreSQL the bytes live in <see cref="Data"/>, so that every node sharing
/// the database sees them. With SQLite they live in the data folder's <see cref="RawFileStore"/> and
/// <see cref="Data"/> is null: the row still records that the bytes exist and how large they are.
/// </summary>
internal sealed class RawMimeEntity
{
    public required string Sha256 { get; set; }
    public long Size { get; set; }
    public byte[]? Data { get; set; }
}

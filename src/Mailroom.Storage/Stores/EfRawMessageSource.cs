namespace Mailroom.Storage.Stores;

/// <summary>Reads a message's canonical raw copy (raw_mime) by message id.</summary>
internal sealed class EfRawMessageSource(MailroomContextFactory contexts) : IRawMessageSource
{
    public async Task<byte[]?> GetRawAsync(long messageId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await (
            from m in db.Messages
            join r in db.RawMime on m.RawSha256 equals r.Sha256
            where m.Id == messageId
            select r.Data).FirstOrDefaultAsync(cancellationToken);
    }
}

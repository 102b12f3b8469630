namespace Mailroom.Core.Storage;

/// <summary>The raw MIME of stored messages, for views that are rebuilt from it.</summary>
public interface IRawMessageSource
{
    /// <summary>The raw bytes of message <paramref name="messageId"/>, or null when there is no such message.</summary>
    Task<byte[]?> GetRawAsync(long messageId, CancellationToken cancellationToken);
}

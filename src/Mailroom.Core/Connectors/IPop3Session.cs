namespace Mailroom.Core.Connectors;

/// <summary>
/// One authenticated POP3 connection (RFC 1939) to a maildrop: a single folder whose messages are known by UIDL.
/// Read-only by contract: no implementation ever sends DELE. Not thread-safe: one caller at a time. Every method
/// classifies failures as <see cref="ConnectorException"/>.
/// </summary>
public interface IPop3Session : IAsyncDisposable
{
    /// <summary>Counters of what went over the wire: one body per RETR, one header block per TOP.</summary>
    SessionCounters Counters { get; }

    /// <summary>False when the server has no TOP; headers cannot then be read without the whole message.</summary>
    bool SupportsTop { get; }

    /// <summary>Every message in the maildrop, in server order, with its UIDL and size (UIDL and LIST).</summary>
    Task<IReadOnlyList<Pop3Listing>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The header block of each message (TOP n 0), pipelined where the server allows it, calling
    /// <paramref name="onHeaders"/> with the index and the bytes. Messages the server refuses are skipped.
    /// </summary>
    Task FetchHeadersAsync(
        IReadOnlyList<int> indexes,
        Func<int, ReadOnlyMemory<byte>, CancellationToken, ValueTask> onHeaders,
        CancellationToken cancellationToken);

    /// <summary>
    /// Whole messages (RETR), pipelined where the server allows it, calling <paramref name="onMessage"/> with the index
    /// and the raw bytes. Messages the server refuses (expunged by another client meanwhile) are skipped.
    /// </summary>
    Task FetchMessagesAsync(
        IReadOnlyList<int> indexes,
        Func<int, ReadOnlyMemory<byte>, CancellationToken, ValueTask> onMessage,
        CancellationToken cancellationToken);
}

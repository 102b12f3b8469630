namespace Mailroom.Core.Connectors;

/// <summary>Running totals for one session; read by tests ("a second sync fetches no body") and progress.</summary>
public sealed class SessionCounters
{
    private long _bodiesFetched;
    private long _bytesFetched;
    private long _folderListings;
    private long _headersFetched;
    private long _requests;
    private long _bytesReceived;

    public long BodiesFetched => Interlocked.Read(ref _bodiesFetched);
    public long BytesFetched => Interlocked.Read(ref _bytesFetched);

    /// <summary>Commands whose answer grows with the folder (every UID, or every UID's flags): what incremental sync avoids.</summary>
    public long FolderListings => Interlocked.Read(ref _folderListings);

    /// <summary>HTTP requests sent (an API batch counts once), for the provider APIs.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Bytes of HTTP response bodies received, for the provider APIs.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public void AddRequest(long responseBytes)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _bytesReceived, responseBytes);
    }

    public void AddFolderListing() => Interlocked.Increment(ref _folderListings);

    /// <summary>Header blocks fetched without their body (POP3 TOP n 0).</summary>
    public long HeadersFetched => Interlocked.Read(ref _headersFetched);

    public void AddBody(long bytes)
    {
        Interlocked.Increment(ref _bodiesFetched);
        Interlocked.Add(ref _bytesFetched, bytes);
    }

    public void AddHeaders(long bytes)
    {
        Interlocked.Increment(ref _headersFetched);
        Interlocked.Add(ref _bytesFetched, bytes);
    }
}

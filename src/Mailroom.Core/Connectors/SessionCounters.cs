namespace Mailroom.Core.Connectors;

/// <summary>Running totals for one session; read by tests ("a second sync fetches no body") and progress.</summary>
public sealed class SessionCounters
{
    private long _bodiesFetched;
    private long _bytesFetched;
    private long _folderListings;
    private long _headersFetched;

    public long BodiesFetched => Interlocked.Read(ref _bodiesFetched);
    public long BytesFetched => Interlocked.Read(ref _bytesFetched);

    /// <summary>Commands whose answer grows with the folder (every UID, or every UID's flags): what incremental sync avoids.</summary>
    public long FolderListings => Interlocked.Read(ref _folderListings);

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

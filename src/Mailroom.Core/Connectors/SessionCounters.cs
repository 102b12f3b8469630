namespace Mailroom.Core.Connectors;

/// <summary>Running totals for one session; read by tests ("a second sync fetches no body") and progress.</summary>
public sealed class SessionCounters
{
    private long _bodiesFetched;
    private long _bytesFetched;

    public long BodiesFetched => Interlocked.Read(ref _bodiesFetched);
    public long BytesFetched => Interlocked.Read(ref _bytesFetched);

    public void AddBody(long bytes)
    {
        Interlocked.Increment(ref _bodiesFetched);
        Interlocked.Add(ref _bytesFetched, bytes);
    }
}

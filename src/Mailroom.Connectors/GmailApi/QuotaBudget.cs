namespace Mailroom.Connectors.GmailApi;

/// <summary>
/// A token bucket of Gmail quota units for one mailbox: full at <c>unitsPerSecond</c>, refilled continuously. A call
/// waits until its units are there, so a burst (an initial sync's messages.get) stays under the per-user limit instead
/// of meeting 429s. Shared by every session of the mailbox in this process.
/// </summary>
internal sealed class QuotaBudget(int unitsPerSecond, TimeProvider time)
{
    private readonly Lock _gate = new();
    private double _units = unitsPerSecond;
    private long _at = time.GetTimestamp();

    public async Task TakeAsync(int units, CancellationToken cancellationToken)
    {
        units = Math.Min(units, unitsPerSecond);
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = time.GetTimestamp();
                _units = Math.Min(unitsPerSecond, _units + time.GetElapsedTime(_at, now).TotalSeconds * unitsPerSecond);
                _at = now;
                if (_units >= units)
                {
                    _units -= units;
                    return;
                }
                wait = TimeSpan.FromSeconds((units - _units) / unitsPerSecond);
            }
            await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, time, cancellationToken);
        }
    }
}

using System.Diagnostics;
using Mailroom.Core.Sync;

namespace Mailroom.Server.Cli;

/// <summary>
/// A live progress line on stderr: folder, messages done/total, rate, ETA. Redrawn in place on a terminal,
/// one line every few seconds when stderr is redirected (logs, CI).
/// </summary>
internal sealed class ProgressDisplay(string account, TextWriter output) : IProgress<SyncProgress>, IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly Lock _gate = new();
    private TimeSpan? _lastDraw;
    private SyncProgress? _last;
    private bool _drawn;

    public void Report(SyncProgress value)
    {
        lock (_gate)
        {
            _last = value;
            var every = _interactive ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(5);
            if (_lastDraw is { } last && _clock.Elapsed - last < every && value.MessagesDone < value.MessagesTotal)
                return;
            _lastDraw = _clock.Elapsed;
            Draw(value);
        }
    }

    public void Finish()
    {
        lock (_gate)
        {
            if (_last is not null && _drawn && _interactive)
                output.WriteLine();
            _drawn = false;
        }
    }

    public void Dispose() => Finish();

    private void Draw(SyncProgress p)
    {
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        var rate = p.MessagesDone / seconds;
        var remaining = p.MessagesTotal - p.MessagesDone;
        var eta = rate > 0 ? TimeSpan.FromSeconds(remaining / rate) : TimeSpan.Zero;
        var percent = p.MessagesTotal == 0 ? 100 : 100.0 * p.MessagesDone / p.MessagesTotal;
        var line =
            $"{account} · {p.Folder} [{p.FolderIndex}/{p.FolderCount}] {p.MessagesDone:N0}/{p.MessagesTotal:N0} ({percent:N0}%) " +
            $"{p.BytesDone / 1048576.0:N1} MB · {rate:N0} msg/s · ETA {eta:hh\\:mm\\:ss}";
        if (_interactive)
            output.Write("\r" + line.PadRight(Math.Max(line.Length, Console.WindowWidth > 0 ? Math.Min(Console.WindowWidth - 1, 160) : 0)));
        else
            output.WriteLine(line);
        _drawn = true;
    }
}

using System.Diagnostics;
using System.Globalization;

namespace Mailroom.IntegrationTests.Sending;

/// <summary>
/// CPU spent during a benchmark phase by this process, by the test Dovecot and by Postfix (each server's whole process
/// tree, exited children included through their parents' cutime/cstime), read from /proc. Wall-clock ratios on a shared
/// two-core machine move with other load; CPU per message says where the work went.
/// </summary>
internal sealed class CpuMeter
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    private readonly TimeSpan _self;
    private readonly double _dovecot;
    private readonly double _postfix;

    private CpuMeter()
    {
        _self = Process.GetCurrentProcess().TotalProcessorTime;
        (_dovecot, _postfix) = ServerSeconds();
    }

    public static CpuMeter Start() => new();

    public CpuUsage Stop()
    {
        var (dovecot, postfix) = ServerSeconds();
        return new CpuUsage((Process.GetCurrentProcess().TotalProcessorTime - _self).TotalSeconds, dovecot - _dovecot, postfix - _postfix);
    }

    private static (double Dovecot, double Postfix) ServerSeconds()
    {
        var processes = new Dictionary<int, (int Parent, string Command, double Seconds)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // comm is in parentheses and may hold spaces: the fields after it start at the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
                    + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
                var command = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                processes[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture), command, ticks / TicksPerSecond);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                // The process exited while it was read: its time is in its parent's cutime from now on.
            }
        }

        double Tree(Func<string, bool> isRoot)
        {
            var roots = processes.Where(p => p.Value.Parent == 1 && isRoot(p.Value.Command)).Select(p => p.Key).ToHashSet();
            var total = 0.0;
            foreach (var (pid, info) in processes)
            {
                for (var at = pid; processes.TryGetValue(at, out var p); at = p.Parent)
                {
                    if (roots.Contains(at))
                    {
                        total += info.Seconds;
                        break;
                    }
                    if (p.Parent <= 1)
                        break;
                }
            }
            return total;
        }

        return (Tree(c => c.StartsWith("/usr/sbin/dovecot", StringComparison.Ordinal) && c.Contains("mailroom-test", StringComparison.Ordinal)),
                Tree(c => c.StartsWith("/usr/lib/postfix/sbin/master", StringComparison.Ordinal)));
    }
}

/// <summary>CPU seconds of one phase.</summary>
internal sealed record CpuUsage(double Self, double Dovecot, double Postfix)
{
    /// <summary>Milliseconds per message, as a JSON object.</summary>
    public string Per(int messages) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"mailroom\": {Self * 1000 / messages:F2}, \"dovecot\": {Dovecot * 1000 / messages:F2}, \"postfix\": {Postfix * 1000 / messages:F2}}}");
}

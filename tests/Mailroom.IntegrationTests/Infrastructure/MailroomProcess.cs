using System.Diagnostics;
using Mailroom.TestSupport;

namespace Mailroom.IntegrationTests.Infrastructure;

/// <summary>Runs the real <c>mailroom</c> executable (the built Mailroom.Server) as a child process.</summary>
public sealed class MailroomProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly string _command;
    private readonly bool _printsSecret;
    private string? _log;

    private MailroomProcess(Process process, string command, string? log, bool printsSecret)
    {
        _process = process;
        _command = command;
        _log = log;
        _printsSecret = printsSecret;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static MailroomProcess Start(IEnumerable<string> args, string? stdin = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mailroom.dll"));
        foreach (var a in args)
            start.ArgumentList.Add(a);
        // Under scripts/test.sh: `serve` logs at Debug, and everything printed is kept for the secret scan.
        var log = TestArtifacts.NewLogFile("mailroom");
        if (log is not null)
            start.Environment["MAILROOM__Logging__LogLevel__Default"] = "Debug";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
            start.Environment[k] = v;
        var process = Process.Start(start)!;
        if (stdin is not null)
            process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var words = start.ArgumentList.Skip(1).ToList();
        // `apikey create` prints the new key once, by design: its output stays out of the artifact log, so the secret
        // scan keeps meaning that nothing else ever prints a key.
        var printsSecret = words.Zip(words.Skip(1)).Any(pair => pair is ("apikey", "create"));
        return new MailroomProcess(process, "mailroom " + string.Join(' ', words), log, printsSecret);
    }

    /// <summary>Runs to completion and returns the exit code with everything printed.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IEnumerable<string> args, string? stdin = null, IDictionary<string, string>? environment = null)
    {
        using var p = Start(args, stdin, environment);
        return await p.WaitAsync(TimeSpan.FromMinutes(3));
    }

    public async Task<(int ExitCode, string Stdout, string Stderr)> WaitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mailroom did not finish within {timeout}: {await _stderr}");
        }
        var result = (_process.ExitCode, await _stdout, await _stderr);
        KeepOutput();
        return result;
    }

    /// <summary>SIGTERM, as a service manager stops a process: a graceful shutdown.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    /// <summary>SIGKILL: no cleanup, no flush, as in a crash or an OOM kill.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        KeepOutput();
        _process.Dispose();
    }

    /// <summary>Writes the command and everything it printed to its artifact log, once (the pipes close when it exits).</summary>
    private void KeepOutput()
    {
        if (Interlocked.Exchange(ref _log, null) is not { } log)
            return;
        try
        {
            Task.WaitAll([_stdout, _stderr], TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // Shown as "(not read)" below.
        }
        var stdout = _printsSecret ? "(withheld: the new API key)" : _stdout.IsCompletedSuccessfully ? _stdout.Result : "(not read)";
        var stderr = _stderr.IsCompletedSuccessfully ? _stderr.Result : "(not read)";
        File.WriteAllText(log, $"{_command}\n--- stdout\n{stdout}\n--- stderr\n{stderr}\n");
    }
}

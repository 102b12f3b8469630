using System.Diagnostics;
using System.Text;
using Mailroom.TestSupport;

namespace Mailroom.IntegrationTests.Infrastructure;

internal static partial class OidcProvider
{
    /// <summary>
    /// Runs the real <c>mailroom</c> with <paramref name="args"/> (an <c>account add … --oauth</c>) and approves the
    /// device code it prints as the person would, through the provider's own pages.
    /// </summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunDeviceFlowAsync(
        IEnumerable<string> args, IDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mailroom.dll"));
        foreach (var a in args)
            start.ArgumentList.Add(a);
        foreach (var (k, v) in environment)
            start.Environment[k] = v;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = new StringBuilder();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            while (await process.StandardError.ReadLineAsync(deadline.Token) is { } line)
            {
                stderr.AppendLine(line);
                // "(or open http://127.0.0.1:11480/device?user_code=ABCD-EFGH)": approve it as the person would.
                if (line.StartsWith("(or open ", StringComparison.Ordinal))
                    await ApproveDeviceAsync(new Uri(line["(or open ".Length..^1]), deadline.Token);
            }
            await process.WaitForExitAsync(deadline.Token);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        if (TestArtifacts.NewLogFile("mailroom-oauth-add") is { } log)
            await File.WriteAllTextAsync(log, $"{string.Join(' ', args)}\n--- stdout\n{await stdout}\n--- stderr\n{stderr}\n", CancellationToken.None);
        return (process.ExitCode, await stdout, stderr.ToString());
    }
}

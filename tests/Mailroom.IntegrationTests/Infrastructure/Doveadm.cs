using System.Diagnostics;

namespace Mailroom.IntegrationTests.Infrastructure;

/// <summary>Drives the test Dovecot through doveadm: store raw messages byte for byte, create folders, set flags.</summary>
public static class Doveadm
{
    /// <summary>Deletes every folder and message of the user, so a test starts from an empty mailbox.</summary>
    public static async Task ResetUserAsync(string user)
    {
        var script = Path.Combine(RepoRoot(), "scripts", "test-env.sh");
        await RunAsync("bash", [script, "reset", user], stdin: null);
    }

    /// <summary>Ends every IMAP/POP3 session of the user (clients see the connection close).</summary>
    public static Task KickAsync(string user) => RunDoveadmAsync(["kick", user], null);

    public static Task CreateFolderAsync(string user, string folder) =>
        RunDoveadmAsync(["mailbox", "create", "-u", user, folder], null);

    public static Task DeleteFolderAsync(string user, string folder) =>
        RunDoveadmAsync(["mailbox", "delete", "-u", user, folder], null);

    /// <summary>Stores raw bytes into a folder exactly as given (doveadm save reads the message from stdin).</summary>
    public static Task SaveAsync(string user, string folder, byte[] raw) =>
        RunDoveadmAsync(["save", "-u", user, "-m", folder], raw);

    /// <summary>Gives the folder a new UIDVALIDITY (its messages keep their UIDs), as a server rebuild would.</summary>
    public static Task SetUidValidityAsync(string user, string folder, uint uidValidity) =>
        RunDoveadmAsync(["mailbox", "update", "-u", user, "--uid-validity", uidValidity.ToString(System.Globalization.CultureInfo.InvariantCulture), folder], null);

    public static Task AddFlagsAsync(string user, string folder, uint uid, string flags) =>
        RunDoveadmAsync(["flags", "add", "-u", user, flags, "mailbox", folder, "uid", uid.ToString(System.Globalization.CultureInfo.InvariantCulture)], null);

    public static Task ExpungeAsync(string user, string folder, uint uid) =>
        RunDoveadmAsync(["expunge", "-u", user, "mailbox", folder, "uid", uid.ToString(System.Globalization.CultureInfo.InvariantCulture)], null);

    /// <summary>Flags a UID set such as <c>1:10,15</c>.</summary>
    public static Task AddFlagsAsync(string user, string folder, string uidSet, string flags) =>
        RunDoveadmAsync(["flags", "add", "-u", user, flags, "mailbox", folder, "uid", uidSet], null);

    /// <summary>Expunges a UID set such as <c>1:10,15</c>.</summary>
    public static Task ExpungeAsync(string user, string folder, string uidSet) =>
        RunDoveadmAsync(["expunge", "-u", user, "mailbox", folder, "uid", uidSet], null);

    public static Task RenameFolderAsync(string user, string from, string to) =>
        RunDoveadmAsync(["mailbox", "rename", "-u", user, from, to], null);

    /// <summary>How many messages a folder holds (doveadm mailbox status).</summary>
    public static async Task<int> MessageCountAsync(string user, string folder)
    {
        var output = await RunDoveadmAsync(["-f", "flow", "mailbox", "status", "-u", user, "messages", folder], null);
        return int.Parse(output.Trim().Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The IMAP sessions each user has open now (<c>doveadm who</c>, which counts the connections anvil tracks per
    /// user and address).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, int>> ImapSessionsAsync()
    {
        var sessions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in (await RunDoveadmAsync(["who"], null)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            // username  #  proto  (pids)  (ips)
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 3 && fields[2] == "imap")
                sessions[fields[0]] = sessions.GetValueOrDefault(fields[0]) + int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        return sessions;
    }

    private static Task<string> RunDoveadmAsync(IReadOnlyList<string> args, byte[]? stdin)
    {
        var prefix = (LiveServers.Doveadm ?? "doveadm").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return RunAsync(prefix[0], [.. prefix.Skip(1), .. args], stdin);
    }

    private static async Task<string> RunAsync(string file, IReadOnlyList<string> args, byte[]? stdin)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        if (stdin is not null)
            await process.StandardInput.BaseStream.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await error}{await output}");
        return await output;
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Mailroom.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Mailroom.slnx not found above " + AppContext.BaseDirectory);
    }
}

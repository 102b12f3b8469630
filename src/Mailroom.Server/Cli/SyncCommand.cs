using System.CommandLine;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Server.Sync;

namespace Mailroom.Server.Cli;

/// <summary><c>mailroom sync [ACCOUNT]</c>: one complete sync, with progress, then a summary.</summary>
internal static class SyncCommand
{
    public static Command Create()
    {
        var account = new Argument<string?>("ACCOUNT") { Description = "Account id or name; all accounts when omitted.", Arity = ArgumentArity.ZeroOrOne };
        var json = CliOptions.Json;
        var quiet = new Option<bool>("--quiet") { Description = "No progress display." };
        var since = new Option<DateOnly?>("--since") { Description = "Sync window: fetch only messages received on or after this day (YYYY-MM-DD)." };
        var folders = new Option<string[]>("--folder") { Description = "Sync only this folder (repeatable; Parent/* for a subtree)." };
        var excluded = new Option<string[]>("--exclude-folder") { Description = "Never sync this folder (repeatable; Parent/* for a subtree)." };
        var command = new Command("sync", "Sync accounts once: fetch what is new, update flags, remove what is gone.")
        {
            account, json, quiet, since, folders, excluded,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var accounts = services.GetRequiredService<IAccountStore>();
            var targets = await AccountTargets.ResolveAsync(accounts, parseResult.GetValue(account), cancellationToken);
            if (targets is null)
                return ExitCodes.NotFound;
            if (parseResult.GetValue(account) is not null && targets.Any(m => !MailboxSyncRunner.HasServer(m)))
                return CliOutput.Error(ExitCodes.Usage, "this account is an archive (filled by 'mailroom import'); it has no server to sync.");
            targets = [.. targets.Where(MailboxSyncRunner.HasServer)]; // archives have no server
            if (targets.Count == 0)
                return CliOutput.Error(ExitCodes.NotFound, "no accounts to sync; add one with 'mailroom account add'.");

            var options = services.GetRequiredService<SyncOptions>();
            if (parseResult.GetValue(since) is { } day)
                options.Since = day;
            if (parseResult.GetValue(folders) is { Length: > 0 } only)
                options.Folders = only;
            if (parseResult.GetValue(excluded) is { Length: > 0 } never)
                options.ExcludeFolders = never;
            var runner = services.GetRequiredService<MailboxSyncRunner>();
            var asJson = parseResult.GetValue(json);
            var exitCode = ExitCodes.Ok;
            var results = new List<object>();
            long fetchedTotal = 0;
            foreach (var mailbox in targets)
            {
                using var display = parseResult.GetValue(quiet) ? null : new ProgressDisplay(mailbox.Name, Console.Error);
                var stored = new StoredCount(display);
                try
                {
                    var summary = await runner.RunAsync(mailbox, stored, cancellationToken);
                    display?.Finish();
                    fetchedTotal += summary.MessagesFetched;
                    results.Add(new { account = mailbox.Name, id = mailbox.Id, ok = summary.FolderErrors.Count == 0, summary });
                    if (!asJson)
                        PrintSummary(mailbox, summary);
                    if (summary.FolderErrors.Count > 0 && exitCode == ExitCodes.Ok)
                        exitCode = ExitCodes.Partial;
                }
                catch (ConnectorException ex)
                {
                    display?.Finish();
                    // What was stored before the failure stays stored (the next run goes on from there): count it.
                    fetchedTotal += stored.Messages;
                    results.Add(new { account = mailbox.Name, id = mailbox.Id, ok = false, error = ex.Message, kind = ex.Kind, messagesStored = stored.Messages });
                    if (!asJson)
                    {
                        var kept = stored.Messages > 0 ? $" ({stored.Messages:N0} new messages were stored before it; sync again to go on)" : "";
                        CliOutput.Error(ExitCodeFor(ex.Kind), $"{mailbox.Name}: {ex.Message}{kept}");
                    }
                    exitCode = ExitCodeFor(ex.Kind);
                }
            }

            if (asJson)
                CliOutput.WriteJson(results);
            else
                // One machine-readable line for benchmark harnesses (../shared/bench run.sh reads it).
                Console.Out.WriteLine($"RESULT {{\"messages\": {fetchedTotal}}}");
            return exitCode;
        });
        return command;
    }

    public static int ExitCodeFor(ConnectorErrorKind kind) => kind switch
    {
        ConnectorErrorKind.AuthenticationFailed or ConnectorErrorKind.ReauthorizationRequired => ExitCodes.AuthenticationFailed,
        ConnectorErrorKind.Misconfigured => ExitCodes.Misconfigured,
        ConnectorErrorKind.Transient => ExitCodes.Unreachable,
        _ => ExitCodes.Failure,
    };

    /// <summary>Passes progress on to the display (if any) and keeps the last count of stored messages.</summary>
    private sealed class StoredCount(IProgress<SyncProgress>? display) : IProgress<SyncProgress>
    {
        public long Messages { get; private set; }

        public void Report(SyncProgress value)
        {
            Messages = value.MessagesDone;
            display?.Report(value);
        }
    }

    private static void PrintSummary(MailboxRecord mailbox, SyncSummary s)
    {
        var seconds = Math.Max(s.Elapsed.TotalSeconds, 0.001);
        Console.Out.WriteLine(
            $"{mailbox.Name}: {s.Folders} folders, {s.MessagesFetched:N0} new messages ({s.BytesFetched / 1048576.0:N1} MB) " +
            $"in {seconds:N1} s ({s.MessagesFetched / seconds:N0} msg/s); {s.FlagsUpdated:N0} flag changes, " +
            $"{s.MembershipsRemoved:N0} removed, {s.UidValidityResets} UIDVALIDITY resets.");
        foreach (var error in s.FolderErrors)
            Console.Out.WriteLine($"  not synced: {error}");
    }
}

using System.CommandLine;
using System.Globalization;
using Mailroom.Core.Storage;
using Mailroom.Storage.Queries;

namespace Mailroom.Server.Cli;

/// <summary><c>mailroom status [ACCOUNT]</c>: per account and per folder, what is stored and how the last sync went.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var account = new Argument<string?>("ACCOUNT") { Description = "Account id or name; all accounts when omitted.", Arity = ArgumentArity.ZeroOrOne };
        var json = CliOptions.Json;
        var command = new Command("status", "Show each account's state, last sync and error, and its folders with their message counts.") { account, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var accounts = services.GetRequiredService<IAccountStore>();
            var inspector = services.GetRequiredService<StoreInspector>();

            var targets = await AccountTargets.ResolveAsync(accounts, parseResult.GetValue(account), cancellationToken);
            if (targets is null)
                return ExitCodes.NotFound;

            var views = new List<object>();
            var now = DateTimeOffset.UtcNow;
            // Cluster mode: the node that runs each mailbox now (its live lease); null when none does.
            var nodes = services.GetRequiredService<Cluster.ClusterOptions>().Enabled
                ? (await services.GetRequiredService<Mailroom.Storage.Cluster.MailboxLeaseStore>().ListLiveAsync(cancellationToken))
                    .ToDictionary(l => l.MailboxId, l => l.Owner)
                : null;
            foreach (var mailbox in targets)
            {
                var folders = (await inspector.ListFolderStatesAsync(mailbox.Id, cancellationToken))
                    .Select(f => new FolderView(
                        f.Path, EnumWords.Of(f.Role), f.Stored, f.ServerCount, f.LastSyncedAt,
                        LagSeconds(now, f.LastSyncedAt), f.LastError, f.LastErrorAt, f.UidValidity, f.UidNext, f.HighestModSeq))
                    .ToList();
                var totals = await inspector.GetTotalsAsync(mailbox.Id, cancellationToken);
                views.Add(new
                {
                    account = AccountView.From(mailbox),
                    lagSeconds = LagSeconds(now, mailbox.LastSyncedAt),
                    node = nodes?.GetValueOrDefault(mailbox.Id),
                    messages = totals.Messages,
                    rawBytes = totals.RawBytes,
                    folders,
                });
                if (!parseResult.GetValue(json))
                    Print(mailbox, totals, folders, now, nodes is null ? null : nodes.GetValueOrDefault(mailbox.Id) ?? "none");
            }

            if (parseResult.GetValue(json))
                CliOutput.WriteJson(views);
            else if (targets.Count == 0)
                Console.Out.WriteLine("No accounts. Add one with: mailroom account add --imap HOST --user USER");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(MailboxRecord mailbox, StoreTotals totals, List<FolderView> folders, DateTimeOffset now, string? node)
    {
        var synced = mailbox.LastSyncedAt is { } at ? $"{at.ToString("u", CultureInfo.InvariantCulture)} ({Ago(now - at)})" : "never";
        Console.Out.WriteLine($"{mailbox.Id} {mailbox.Name}: {mailbox.State}, in step with the server at {synced}, {totals.Messages:N0} messages, {totals.RawBytes / 1048576.0:N1} MB");
        if (node is not null)
            Console.Out.WriteLine($"  node: {node}");
        if (mailbox.LastError is { } error)
            Console.Out.WriteLine($"  last error: {error}");
        foreach (var f in folders)
        {
            var server = f.ServerCount is { } count ? count.ToString("N0", CultureInfo.InvariantCulture) : "?";
            var folderSynced = f.LastSyncedAt is { } s ? "synced " + Ago(now - s) : "not completed";
            Console.Out.WriteLine($"  {f.Path,-32} {f.Role,-8} {f.Messages,8:N0} stored / {server,8} on server  {folderSynced}");
            if (f.LastError is { } folderError)
                Console.Out.WriteLine($"  {"",-32} last error {Ago(now - f.LastErrorAt!.Value)}: {folderError}");
        }
    }

    private static long? LagSeconds(DateTimeOffset now, DateTimeOffset? syncedAt) =>
        syncedAt is { } at ? (long)Math.Max(0, (now - at).TotalSeconds) : null;

    private static string Ago(TimeSpan elapsed) => elapsed.TotalSeconds switch
    {
        < 1 => "just now",
        < 120 => $"{elapsed.TotalSeconds:N0} s ago",
        < 7200 => $"{elapsed.TotalMinutes:N0} min ago",
        < 172800 => $"{elapsed.TotalHours:N0} h ago",
        _ => $"{elapsed.TotalDays:N0} days ago",
    };

    private sealed record FolderView(
        string Path, string Role, long Messages, int? ServerCount, DateTimeOffset? LastSyncedAt, long? LagSeconds,
        string? LastError, DateTimeOffset? LastErrorAt, uint? UidValidity, uint? UidNext, ulong? HighestModSeq);
}

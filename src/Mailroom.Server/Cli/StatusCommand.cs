using System.CommandLine;
using System.Globalization;
using Mailroom.Core.Storage;
using Mailroom.Storage;

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
            var messages = services.GetRequiredService<IMessageStore>();
            var inspector = services.GetRequiredService<StoreInspector>();

            var targets = await AccountTargets.ResolveAsync(accounts, parseResult.GetValue(account), cancellationToken);
            if (targets is null)
                return ExitCodes.NotFound;

            var views = new List<object>();
            foreach (var mailbox in targets)
            {
                var counts = (await inspector.CountByFolderAsync(mailbox.Id, cancellationToken)).ToDictionary(c => c.FolderId, c => c.Memberships);
                var folders = (await messages.ListFoldersAsync(mailbox.Id, cancellationToken))
                    .OrderBy(f => f.Path, StringComparer.Ordinal)
                    .Select(f => new FolderView(f.Path, f.Role.ToString().ToLowerInvariant(), counts.GetValueOrDefault(f.Id), f.UidValidity, f.UidNext, f.HighestModSeq, f.LastSyncedAt))
                    .ToList();
                var totals = await inspector.GetTotalsAsync(mailbox.Id, cancellationToken);
                views.Add(new { account = AccountView.From(mailbox), messages = totals.Messages, rawBytes = totals.RawBytes, folders });
                if (!parseResult.GetValue(json))
                    Print(mailbox, totals, folders);
            }

            if (parseResult.GetValue(json))
                CliOutput.WriteJson(views);
            else if (targets.Count == 0)
                Console.Out.WriteLine("No accounts. Add one with: mailroom account add --imap HOST --user USER");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(MailboxRecord mailbox, StoreTotals totals, List<FolderView> folders)
    {
        var synced = mailbox.LastSyncedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "never";
        Console.Out.WriteLine($"{mailbox.Id} {mailbox.Name}: {mailbox.State}, last sync {synced}, {totals.Messages:N0} messages, {totals.RawBytes / 1048576.0:N1} MB");
        if (mailbox.LastError is { } error)
            Console.Out.WriteLine($"  last error: {error}");
        foreach (var f in folders)
        {
            var folderSynced = f.LastSyncedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "not completed";
            Console.Out.WriteLine($"  {f.Path,-32} {f.Role,-8} {f.Messages,8:N0}  synced {folderSynced}");
        }
    }

    private sealed record FolderView(
        string Path, string Role, long Messages, uint? UidValidity, uint? UidNext, ulong? HighestModSeq, DateTimeOffset? LastSyncedAt);
}

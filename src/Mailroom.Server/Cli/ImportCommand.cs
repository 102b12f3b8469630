using System.CommandLine;
using Mailroom.Core.Accounts;
using Mailroom.Core.Import;
using Mailroom.Core.Storage;
using Mailroom.Server.Sync;

namespace Mailroom.Server.Cli;

/// <summary><c>mailroom import PATH</c>: an mbox file, a Maildir or .eml files into a local archive mailbox.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "An mbox file, a Maildir (with cur/ and new/), a directory of .eml files, or one .eml file." };
        var account = new Option<string>("--account") { Description = "The archive mailbox to import into (created if missing; default: archive).", DefaultValueFactory = _ => "archive" };
        var org = new Option<string>("--org") { Description = "Organization of a new archive mailbox (default: default).", DefaultValueFactory = _ => "default" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress display." };
        var json = CliOptions.Json;
        var command = new Command("import", "Import local mail into an archive mailbox, through the same ingest as sync (importing again adds nothing).")
        {
            path, account, org, quiet, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var source = parseResult.GetValue(path)!;
            if (ArchiveReader.Detect(source, out var error) is not { } kind)
                return CliOutput.Error(File.Exists(source) || Directory.Exists(source) ? ExitCodes.Usage : ExitCodes.NotFound, error!);

            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var accounts = services.GetRequiredService<IAccountStore>();
            var name = parseResult.GetValue(account)!;
            var mailbox = await accounts.FindMailboxAsync(name, cancellationToken);
            if (mailbox is null)
            {
                var orgId = await accounts.EnsureOrganizationAsync(parseResult.GetValue(org)!, cancellationToken);
                var settings = new MailboxSettings { Host = "", Port = 0, UserName = "" };
                mailbox = await accounts.AddMailboxAsync(orgId, name, MailboxProtocol.Archive, settings, "", cancellationToken);
            }
            else if (mailbox.Protocol != MailboxProtocol.Archive)
            {
                return CliOutput.Error(ExitCodes.Usage, $"account '{name}' is a {EnumWords.Of(mailbox.Protocol)} mailbox; import goes into an archive account (choose another --account).");
            }

            var showProgress = !parseResult.GetValue(quiet) && !parseResult.GetValue(json) && !Console.IsErrorRedirected;
            var progress = showProgress
                ? new Progress<(long Read, long Stored)>(p => Console.Error.Write($"\rRead {p.Read:N0} messages, {p.Stored:N0} new   "))
                : null;
            ImportSummary summary;
            try
            {
                summary = await services.GetRequiredService<ArchiveImport>().RunAsync(
                    mailbox.Id, ArchiveReader.Read(source, kind), progress, cancellationToken);
            }
            catch (FormatException ex)
            {
                return CliOutput.Error(ExitCodes.Usage, ex.Message);
            }

            if (showProgress)
                Console.Error.WriteLine();
            if (parseResult.GetValue(json))
            {
                CliOutput.WriteJson(new { account = mailbox.Name, kind, summary.Read, summary.Stored, summary.AlreadyPresent, summary.Folders, seconds = summary.Elapsed.TotalSeconds });
                return ExitCodes.Ok;
            }

            Console.Out.WriteLine(
                $"Imported {kind} {source} into {mailbox.Name} ({string.Join(", ", summary.Folders)}): {summary.Read} read, " +
                $"{summary.Stored} new, {summary.AlreadyPresent} already there, in {summary.Elapsed.TotalSeconds:F1} s.");
            return ExitCodes.Ok;
        });
        return command;
    }
}

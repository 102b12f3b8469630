using System.CommandLine;
using Mailroom.Core.Contacts;
using Mailroom.Core.Storage;
using Mailroom.Server.Sync;

namespace Mailroom.Server.Cli;

/// <summary><c>mailroom contact add|import|update|remove|list|show|timeline|candidates|aliases</c>.</summary>
internal static partial class ContactCommand
{
    private static Option<string> Org() => new("--org") { Description = "Organization (default: default).", DefaultValueFactory = _ => "default" };

    private static Argument<string> ExternalId() => new("ID") { Description = "The contact's external id." };

    public static Command Create()
    {
        var command = new Command("contact", "Contacts (the application's applicants), their links to messages and their timelines.");
        command.Subcommands.Add(CreateAdd());
        command.Subcommands.Add(CreateImport());
        command.Subcommands.Add(CreateUpdate());
        command.Subcommands.Add(CreateRemove());
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateShow());
        command.Subcommands.Add(CreateTimeline());
        command.Subcommands.Add(CreateCandidates());
        command.Subcommands.Add(CreateAliases());
        return command;
    }

    private static Command CreateAdd()
    {
        var externalId = new Option<string>("--external-id") { Description = "The application's id for the contact (unique in the organization).", Required = true };
        var name = new Option<string>("--name") { Description = "The name to show.", Required = true };
        var emails = new Option<string[]>("--email") { Description = "An address (repeatable).", Required = true, AllowMultipleArgumentsPerToken = false };
        var noFetch = NoFetch();
        var org = Org();
        var json = CliOptions.Json;
        var command = new Command("add", "Add a contact and link it to the mail already stored.") { externalId, name, emails, noFetch, org, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var orgId = await services.GetRequiredService<IAccountStore>().EnsureOrganizationAsync(parseResult.GetValue(org)!, cancellationToken);
            var contacts = services.GetRequiredService<IContactStore>();
            var input = new ContactInput(parseResult.GetValue(externalId)!, parseResult.GetValue(name)!, parseResult.GetValue(emails) ?? []);
            if (input.Validate(out _) is { } error)
                return CliOutput.Error(ExitCodes.Usage, error + ".");
            if (await contacts.GetAsync(orgId, input.ExternalId.Trim(), cancellationToken) is not null)
                return CliOutput.Error(ExitCodes.Usage, $"contact '{input.ExternalId}' exists; change it with 'mailroom contact update'.");
            var result = await contacts.UpsertAsync(orgId, input, cancellationToken);
            return await ReportSavedAsync(services, parseResult, json, noFetch, result, cancellationToken);
        });
        return command;
    }

    private static Command CreateImport()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "CSV with the header external_id,name,email[,email...]; several addresses in one cell are separated by ';'." };
        var noFetch = NoFetch();
        var org = Org();
        var command = new Command("import", "Create or update contacts from a CSV file (existing external ids get the file's name and addresses).") { file, noFetch, org };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)!;
            if (!path.Exists)
                return CliOutput.Error(ExitCodes.NotFound, $"no such file: {path.FullName}");
            IReadOnlyList<ContactCsv.Row> rows;
            using (var reader = new StreamReader(path.FullName, detectEncodingFromByteOrderMarks: true))
                rows = ContactCsv.Read(reader);

            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var orgId = await services.GetRequiredService<IAccountStore>().EnsureOrganizationAsync(parseResult.GetValue(org)!, cancellationToken);
            var contacts = services.GetRequiredService<IContactStore>();
            int created = 0, updated = 0, linked = 0, unlinked = 0;
            var added = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                if (row.Contact is null)
                {
                    Console.Error.WriteLine($"mailroom: {path.Name} line {row.Line}: {row.Error}; row rejected.");
                    continue;
                }

                var result = await contacts.UpsertAsync(orgId, row.Contact, cancellationToken);
                _ = result.Created ? created++ : updated++;
                linked += result.Links.Linked;
                unlinked += result.Links.Unlinked;
                added.UnionWith(result.AddedAddresses);
            }

            var rejected = rows.Count(r => r.Contact is null);
            Console.Out.WriteLine($"Imported {created + updated} contacts ({created} new, {updated} updated), {rejected} rows rejected; {linked} links added, {unlinked} removed.");
            if (!parseResult.GetValue(noFetch))
                await FetchSkippedAsync(services, orgId, [.. added], cancellationToken);
            return rejected == 0 ? ExitCodes.Ok : ExitCodes.Usage;
        });
        return command;
    }

    private static Command CreateUpdate()
    {
        var id = ExternalId();
        var name = new Option<string>("--name") { Description = "A new name." };
        var add = new Option<string[]>("--add-email") { Description = "An address to add (repeatable)." };
        var remove = new Option<string[]>("--remove-email") { Description = "An address to remove (repeatable)." };
        var noFetch = NoFetch();
        var org = Org();
        var json = CliOptions.Json;
        var command = new Command("update", "Rename a contact or change its addresses; links follow.") { id, name, add, remove, noFetch, org, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var orgId = await services.GetRequiredService<IAccountStore>().EnsureOrganizationAsync(parseResult.GetValue(org)!, cancellationToken);
            ContactSaveResult? result;
            try
            {
                result = await services.GetRequiredService<IContactStore>().UpdateAsync(
                    orgId, parseResult.GetValue(id)!, parseResult.GetValue(name), parseResult.GetValue(add) ?? [], parseResult.GetValue(remove) ?? [],
                    cancellationToken);
            }
            catch (ArgumentException ex)
            {
                return CliOutput.Error(ExitCodes.Usage, ex.Message);
            }

            if (result is null)
                return CliOutput.Error(ExitCodes.NotFound, $"no contact '{parseResult.GetValue(id)}'.");
            return await ReportSavedAsync(services, parseResult, json, noFetch, result, cancellationToken);
        });
        return command;
    }

    private static Command CreateRemove()
    {
        var id = ExternalId();
        var org = Org();
        var command = new Command("remove", "Remove a contact and its links (the messages stay).") { id, org };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var orgId = await services.GetRequiredService<IAccountStore>().EnsureOrganizationAsync(parseResult.GetValue(org)!, cancellationToken);
            if (!await services.GetRequiredService<IContactStore>().RemoveAsync(orgId, parseResult.GetValue(id)!, cancellationToken))
                return CliOutput.Error(ExitCodes.NotFound, $"no contact '{parseResult.GetValue(id)}'.");
            Console.Out.WriteLine($"Removed contact {parseResult.GetValue(id)} and its links.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<bool> NoFetch() => new("--no-fetch")
    {
        Description = "Do not ask the servers of 'contacts'-scope mailboxes for mail of the new addresses that was skipped.",
    };

    private static async Task<int> ReportSavedAsync(
        ServiceProvider services, ParseResult parseResult, Option<bool> json, Option<bool> noFetch, ContactSaveResult result,
        CancellationToken cancellationToken)
    {
        var c = result.Contact;
        if (parseResult.GetValue(json))
            CliOutput.WriteJson(new { contact = ContactView.From(c), created = result.Created, linked = result.Links.Linked, unlinked = result.Links.Unlinked });
        else
            Console.Out.WriteLine($"{(result.Created ? "Added" : "Updated")} contact {c.ExternalId} ({c.Name}): {string.Join(", ", c.Addresses)}; {result.Links.Linked} links added, {result.Links.Unlinked} removed, {c.MessageCount} messages.");
        if (parseResult.GetValue(noFetch))
            return ExitCodes.Ok;
        return await FetchSkippedAsync(services, c.OrganizationId, result.AddedAddresses, cancellationToken);
    }

    /// <summary>Privacy scope "contacts": fetches skipped mail of the new addresses from the servers.</summary>
    private static async Task<int> FetchSkippedAsync(ServiceProvider services, long organizationId, IReadOnlyList<string> addresses, CancellationToken cancellationToken)
    {
        var exit = ExitCodes.Ok;
        foreach (var (mailbox, fetched, error) in await services.GetRequiredService<ScopeBackfillRunner>().RunAsync(organizationId, addresses, cancellationToken))
        {
            if (error is null)
            {
                Console.Error.WriteLine($"{mailbox.Name}: fetched {fetched} skipped messages from the server.");
                continue;
            }

            Console.Error.WriteLine($"mailroom: {mailbox.Name}: could not fetch skipped mail: {error}");
            exit = ExitCodes.Partial;
        }

        return exit;
    }
}

using System.CommandLine;
using System.Globalization;
using Mailroom.Core.Contacts;
using Mailroom.Core.Storage;

namespace Mailroom.Server.Cli;

/// <summary>The reading side: list, show, timeline, candidates; and the organization's alias-matching switch.</summary>
internal static partial class ContactCommand
{
    private static Command CreateList()
    {
        var org = Org();
        var json = CliOptions.Json;
        var command = new Command("list", "List the organization's contacts.") { org, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var orgId = await services.GetRequiredService<IAccountStore>().EnsureOrganizationAsync(parseResult.GetValue(org)!, cancellationToken);
            var list = await services.GetRequiredService<IContactStore>().ListAsync(orgId, cancellationToken);
            if (parseResult.GetValue(json))
            {
                CliOutput.WriteJson(list.Select(ContactView.From));
                return ExitCodes.Ok;
            }

            if (list.Count == 0)
                Console.Out.WriteLine("No contacts. Add one with: mailroom contact add --external-id ID --name NAME --email ADDRESS");
            foreach (var c in list)
                Console.Out.WriteLine($"{c.ExternalId,-16} {c.Name,-28} {c.MessageCount,6} messages  {string.Join(", ", c.Addresses)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var id = ExternalId();
        var org = Org();
        var json = CliOptions.Json;
        var command = new Command("show", "Show one contact.") { id, org, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var orgId = await services.GetRequiredService<IAccountStore>().EnsureOrganizationAsync(parseResult.GetValue(org)!, cancellationToken);
            if (await services.GetRequiredService<IContactStore>().GetAsync(orgId, parseResult.GetValue(id)!, cancellationToken) is not { } c)
                return CliOutput.Error(ExitCodes.NotFound, $"no contact '{parseResult.GetValue(id)}'.");
            if (parseResult.GetValue(json))
            {
                CliOutput.WriteJson(ContactView.From(c));
                return ExitCodes.Ok;
            }

            Console.Out.WriteLine($"{c.ExternalId}: {c.Name}");
            foreach (var address in c.Addresses)
                Console.Out.WriteLine($"  {address}");
            Console.Out.WriteLine($"  {c.MessageCount} linked messages; created {Time(c.CreatedAt)}, updated {Time(c.UpdatedAt)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateTimeline()
    {
        var id = ExternalId();
        var limit = new Option<int>("--limit") { Description = "Entries per page (1 to 500, default 20).", DefaultValueFactory = _ => 20 };
        var cursor = new Option<string>("--cursor") { Description = "Where to continue: the cursor printed after the previous page." };
        var org = Org();
        var json = CliOptions.Json;
        var command = new Command("timeline", "The contact's mail across every mailbox of the organization, newest first.") { id, limit, cursor, org, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var size = parseResult.GetValue(limit);
            if (size is < 1 or > 500)
                return CliOutput.Error(ExitCodes.Usage, "--limit must be between 1 and 500.");
            TimelineCursor? after = null;
            if (parseResult.GetValue(cursor) is { } text)
            {
                if (!TimelineCursor.TryParse(text, out var parsed))
                    return CliOutput.Error(ExitCodes.Usage, $"'{text}' is not a timeline cursor.");
                after = parsed;
            }

            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var orgId = await services.GetRequiredService<IAccountStore>().EnsureOrganizationAsync(parseResult.GetValue(org)!, cancellationToken);
            var page = await services.GetRequiredService<IContactStore>().GetTimelineAsync(orgId, parseResult.GetValue(id)!, size, after, cancellationToken);
            if (page is null)
                return CliOutput.Error(ExitCodes.NotFound, $"no contact '{parseResult.GetValue(id)}'.");
            if (parseResult.GetValue(json))
            {
                CliOutput.WriteJson(page);
                return ExitCodes.Ok;
            }

            foreach (var e in page.Entries)
            {
                var where = string.Join(", ", e.Copies.Select(c => c.MailboxName).Distinct());
                Console.Out.WriteLine($"{Time(e.Date)}  {e.Roles,-12} {e.From ?? "",-30} {e.Subject ?? "(no subject)"}  [{where}]");
            }

            if (page.Entries.Count == 0)
                Console.Out.WriteLine("No messages.");
            if (page.NextCursor is not null)
                Console.Out.WriteLine($"More: --cursor {page.NextCursor}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateCandidates()
    {
        var limit = new Option<int>("--limit") { Description = "How many (default 20).", DefaultValueFactory = _ => 20 };
        var org = Org();
        var json = CliOptions.Json;
        var command = new Command("candidates", "Frequent correspondents that match no contact, most frequent first.") { limit, org, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var orgId = await services.GetRequiredService<IAccountStore>().EnsureOrganizationAsync(parseResult.GetValue(org)!, cancellationToken);
            var list = await services.GetRequiredService<IContactStore>().GetUnmatchedCorrespondentsAsync(orgId, parseResult.GetValue(limit), cancellationToken);
            if (parseResult.GetValue(json))
            {
                CliOutput.WriteJson(list);
                return ExitCodes.Ok;
            }

            foreach (var c in list)
                Console.Out.WriteLine($"{c.Messages,6}  {c.Address,-40} {c.Name ?? "",-28} last {(c.LastSeen is { } t ? Time(t) : "unknown")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateAliases()
    {
        var state = new Argument<string>("on|off") { Description = "on: also match Gmail dots and +tags; off (the default): exact addresses only." };
        var org = Org();
        var command = new Command("aliases", "Match provider aliases (Gmail dots, +tags) for the organization's contacts, and re-link.") { state, org };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var value = parseResult.GetValue(state)!.ToLowerInvariant();
            if (value is not ("on" or "off"))
                return CliOutput.Error(ExitCodes.Usage, "say on or off.");
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var orgId = await services.GetRequiredService<IAccountStore>().EnsureOrganizationAsync(parseResult.GetValue(org)!, cancellationToken);
            var change = await services.GetRequiredService<IContactStore>().SetAliasMatchingAsync(orgId, value == "on", cancellationToken);
            Console.Out.WriteLine($"Alias matching {value}: {change.Linked} links added or changed, {change.Unlinked} removed.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Time(DateTimeOffset value) => value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}

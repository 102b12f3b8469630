using System.CommandLine;
using System.Globalization;
using Mailroom.Core.Storage;
using Mailroom.Storage.Stores;

namespace Mailroom.Server.Cli;

/// <summary><c>mailroom apikey create|list|revoke</c>: the organization keys of the /v1 API. A key is shown once, at create.</summary>
internal static class ApiKeyCommand
{
    public static Command Create()
    {
        var command = new Command("apikey", "Create, list and revoke API keys (one organization each) for the /v1 API.");
        command.Subcommands.Add(CreateCreate());
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateRevoke());
        return command;
    }

    private static Command CreateCreate()
    {
        var name = new Option<string>("--name") { Description = "What the key is for (shown in lists).", Required = true };
        var org = new Option<string>("--org") { Description = "Organization (default: default).", DefaultValueFactory = _ => "default" };
        var json = CliOptions.Json;
        var command = new Command("create", "Create a key. It is printed once: only its SHA-256 is stored.") { name, org, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var keyName = parseResult.GetValue(name)!;
            if (string.IsNullOrWhiteSpace(keyName) || keyName.Length > 200)
                return CliOutput.Error(ExitCodes.Usage, "--name must be 1 to 200 characters.");
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var orgId = await services.GetRequiredService<IAccountStore>().EnsureOrganizationAsync(parseResult.GetValue(org)!, cancellationToken);
            var (record, key) = await services.GetRequiredService<ApiKeyStore>().CreateAsync(orgId, keyName, cancellationToken);
            if (parseResult.GetValue(json))
            {
                CliOutput.WriteJson(new { record.Id, record.Name, organization = record.OrganizationName, organizationId = record.OrganizationId, record.Prefix, key });
                return ExitCodes.Ok;
            }
            Console.Out.WriteLine(key);
            Console.Error.WriteLine($"API key {record.Id} ({record.Name}) for organization {record.OrganizationName}. It is shown only now: store it; "
                + "send it as 'Authorization: Bearer KEY'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateList()
    {
        var org = new Option<string>("--org") { Description = "Only this organization's keys." };
        var json = CliOptions.Json;
        var command = new Command("list", "List keys (their prefix, never the key) with when they were created, last used and revoked.") { org, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var keys = await services.GetRequiredService<ApiKeyStore>().ListAsync(null, cancellationToken);
            if (parseResult.GetValue(org) is { } orgName)
                keys = [.. keys.Where(k => k.OrganizationName == orgName)];
            if (parseResult.GetValue(json))
            {
                CliOutput.WriteJson(keys);
                return ExitCodes.Ok;
            }
            if (keys.Count == 0)
                Console.Out.WriteLine("No API keys. Create one with: mailroom apikey create --name NAME [--org ORG]");
            foreach (var k in keys)
            {
                var state = k.RevokedAt is { } r ? "revoked " + r.ToString("u", CultureInfo.InvariantCulture) : "active";
                var used = k.LastUsedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "never";
                Console.Out.WriteLine($"{k.Id,4}  {k.Prefix}…  {k.OrganizationName,-16} {k.Name,-24} created {k.CreatedAt.ToString("u", CultureInfo.InvariantCulture)}  last used {used}  {state}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateRevoke()
    {
        var key = new Argument<string>("KEY") { Description = "The key's id or prefix (as `apikey list` shows it)." };
        var json = CliOptions.Json;
        var command = new Command("revoke", "Revoke a key: it answers 401 from then on.") { key, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var which = parseResult.GetValue(key)!.TrimEnd('…');
            var revoked = await services.GetRequiredService<ApiKeyStore>().RevokeAsync(which, cancellationToken);
            if (revoked is null)
                return CliOutput.Error(ExitCodes.NotFound, $"no API key '{which}'.");
            if (parseResult.GetValue(json))
                CliOutput.WriteJson(revoked);
            else
                Console.Out.WriteLine($"Revoked API key {revoked.Id} ({revoked.Name}, {revoked.Prefix}…) of organization {revoked.OrganizationName}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using Mailroom.Server.WebConsole;
using Mailroom.Storage.Stores;

namespace Mailroom.Server.Cli;

/// <summary>
/// <c>mailroom user add|list|remove|password</c>: the console's users. A password is read from standard input (its
/// first line) or asked for on the terminal, never taken as an argument, where it would stay in shell history and in
/// the process list.
/// </summary>
internal static class UserCommand
{
    public static Command Create()
    {
        var command = new Command("user", "Add, list and remove console users, and set their passwords (read from standard input).");
        command.Subcommands.Add(CreateAdd());
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateRemove());
        command.Subcommands.Add(CreatePassword());
        return command;
    }

    private static Command CreateAdd()
    {
        var name = new Argument<string>("NAME") { Description = "The sign-in name (unique, whatever the case)." };
        var org = new Option<string>("--org") { Description = "Organization (default: default).", DefaultValueFactory = _ => "default" };
        var role = new Option<string>("--role") { Description = "admin (manages users, API keys and webhooks) or member.", DefaultValueFactory = _ => ConsoleRoles.Member };
        var json = CliOptions.Json;
        var command = new Command("add", "Add a user; the password is read from standard input or asked for.") { name, org, role, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (ReadPassword() is not { } password)
                return CliOutput.Error(ExitCodes.Usage, "no password: give it on standard input (echo ... | mailroom user add NAME) or type it at the prompt.");
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var (user, error) = await services.GetRequiredService<ConsoleAccounts>().AddAsync(
                parseResult.GetValue(org)!, parseResult.GetValue(name)!, password, parseResult.GetValue(role)!, cancellationToken);
            if (user is null)
                return CliOutput.Error(ExitCodes.Usage, error!);
            if (parseResult.GetValue(json))
                CliOutput.WriteJson(View(user));
            else
                Console.Out.WriteLine($"Added user {user.Name} ({user.Role}) to organization {user.OrganizationName}. Sign in at the console of `mailroom serve`.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateList()
    {
        var org = new Option<string>("--org") { Description = "Only this organization's users." };
        var json = CliOptions.Json;
        var command = new Command("list", "List users with their organization, role, last sign-in and lockout.") { org, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var users = await services.GetRequiredService<UserStore>().ListAsync(null, cancellationToken);
            if (parseResult.GetValue(org) is { } orgName)
                users = [.. users.Where(u => u.OrganizationName == orgName)];
            if (parseResult.GetValue(json))
            {
                CliOutput.WriteJson(users.Select(View));
                return ExitCodes.Ok;
            }
            if (users.Count == 0)
                Console.Out.WriteLine("No users. Add the first with: mailroom user add NAME --role admin");
            var now = DateTimeOffset.UtcNow;
            foreach (var u in users)
            {
                var signedIn = u.LastSignInAt?.ToString("u", CultureInfo.InvariantCulture) ?? "never";
                var locked = u.LockedUntil is { } until && until > now ? "  locked until " + until.ToString("u", CultureInfo.InvariantCulture) : "";
                Console.Out.WriteLine($"{u.Id,4}  {u.Name,-24} {u.Role,-7} {u.OrganizationName,-16} last sign-in {signedIn}{locked}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateRemove()
    {
        var name = new Argument<string>("NAME") { Description = "The user's name." };
        var command = new Command("remove", "Remove a user: their sessions end at their next request.") { name };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var users = services.GetRequiredService<UserStore>();
            if (await users.FindAsync(parseResult.GetValue(name)!, cancellationToken) is not { } user || !await users.RemoveAsync(user.Id, cancellationToken))
                return CliOutput.Error(ExitCodes.NotFound, $"no user '{parseResult.GetValue(name)}'.");
            Console.Out.WriteLine($"Removed user {user.Name} of organization {user.OrganizationName}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreatePassword()
    {
        var name = new Argument<string>("NAME") { Description = "The user's name." };
        var command = new Command("password", "Set a user's password (from standard input or asked for): their sessions end, a lockout too.") { name };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (ReadPassword() is not { } password)
                return CliOutput.Error(ExitCodes.Usage, "no password: give it on standard input or type it at the prompt.");
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            if (await services.GetRequiredService<UserStore>().FindAsync(parseResult.GetValue(name)!, cancellationToken) is not { } user)
                return CliOutput.Error(ExitCodes.NotFound, $"no user '{parseResult.GetValue(name)}'.");
            if (await services.GetRequiredService<ConsoleAccounts>().SetPasswordAsync(user, password, cancellationToken) is { } error)
                return CliOutput.Error(ExitCodes.Usage, error);
            Console.Out.WriteLine($"Set the password of {user.Name}; their sessions have ended.");
            return ExitCodes.Ok;
        });
        return command;
    }

    // The first line of standard input when it is redirected; else asked twice on the terminal, without echo.
    private static string? ReadPassword()
    {
        if (Console.IsInputRedirected)
            return Console.In.ReadLine() is { Length: > 0 } line ? line : null;
        var password = PasswordPrompt.Read("Password: ");
        if (string.IsNullOrEmpty(password))
            return null;
        if (PasswordPrompt.Read("Again: ") != password)
        {
            Console.Error.WriteLine("The passwords differ.");
            return null;
        }
        return password;
    }

    private static object View(UserRecord u) => new
    {
        u.Id, u.Name, u.Role, organization = u.OrganizationName, organizationId = u.OrganizationId, u.CreatedAt, u.LastSignInAt, u.LockedUntil,
    };
}

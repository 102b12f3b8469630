using System.CommandLine;
using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;
using Mailroom.Server.Accounts;

namespace Mailroom.Server.Cli;

/// <summary><c>mailroom account add|list|remove|scope|address</c>.</summary>
internal static class AccountCommand
{
    public static Command Create()
    {
        var command = new Command("account", "Add, list and remove mailbox accounts, and set what they keep and their address.");
        command.Subcommands.Add(AccountAddCommand.Create());
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateRemove());
        command.Subcommands.Add(CreateScope());
        command.Subcommands.Add(AccountProtocolCommand.Create());
        command.Subcommands.Add(CreateAddress());
        return command;
    }

    private static Command CreateList()
    {
        var json = CliOptions.Json;
        var command = new Command("list", "List accounts with their sync state.") { json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var list = await services.GetRequiredService<IAccountStore>().ListMailboxesAsync(cancellationToken);
            if (parseResult.GetValue(json))
            {
                CliOutput.WriteJson(list.Select(AccountView.From));
                return ExitCodes.Ok;
            }
            if (list.Count == 0)
                Console.Out.WriteLine("No accounts. Add one with: mailroom account add --imap HOST --user USER (or --pop3 HOST)");
            foreach (var m in list)
            {
                var synced = m.LastSyncedAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "never";
                Console.Out.WriteLine($"{m.Id,4}  {m.Name,-32} {EnumWords.Of(m.Protocol),-7} {m.Settings.Host}:{m.Settings.Port} {EnumWords.Of(m.Settings.Security),-8} "
                    + $"{m.Settings.Address ?? "(no address)",-32} {EnumWords.Of(m.State),-12} last sync {synced}{(m.LastError is null ? "" : "  " + m.LastError)}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateRemove()
    {
        var account = new Argument<string>("ACCOUNT") { Description = "Account id or name." };
        var command = new Command("remove", "Remove an account and everything synced from it.") { account };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var accounts = services.GetRequiredService<IAccountStore>();
            var record = await accounts.FindMailboxAsync(parseResult.GetValue(account)!, cancellationToken);
            if (record is null || !await services.GetRequiredService<MailboxRemoval>().RemoveAsync(record, cancellationToken))
                return CliOutput.Error(ExitCodes.NotFound, $"no account '{parseResult.GetValue(account)}'.");
            Console.Out.WriteLine($"Removed account {record.Id} ({record.Name}) and its synced mail.");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Option<Word<MailboxScope>> ScopeOption() => WordOption.Create(
        "--scope", "all (default): keep every message; contacts: keep only mail with a known contact (the rest is skipped, not stored).", MailboxScope.All);

    private static Command CreateAddress()
    {
        var account = new Argument<string>("ACCOUNT") { Description = "Account id or name." };
        var address = new Argument<string?>("ADDRESS") { Description = "The mailbox's own address (the From of mail sent from it).", Arity = ArgumentArity.ZeroOrOne };
        var clear = new Option<bool>("--clear") { Description = "Forget the address: the next sync learns it from the Sent folder again." };
        var command = new Command("address", "Show or set an account's own address, apart from its login: the default From, left out of contact candidates.")
        {
            account, address, clear,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var text = parseResult.GetValue(address);
            var forget = parseResult.GetValue(clear);
            if (text is not null && forget)
                return CliOutput.Error(ExitCodes.Usage, "give an ADDRESS or --clear, not both.");
            string? value = null;
            if (text is not null)
            {
                if (!MailboxOnboarding.TryAddress(text, out value, out var error))
                    return CliOutput.Error(ExitCodes.Usage, error!);
            }
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var accounts = services.GetRequiredService<IAccountStore>();
            var record = await accounts.FindMailboxAsync(parseResult.GetValue(account)!, cancellationToken);
            if (record is null)
                return CliOutput.Error(ExitCodes.NotFound, $"no account '{parseResult.GetValue(account)}'.");
            if (text is null && !forget)
            {
                Console.Out.WriteLine(record.Settings.Address ?? $"Account {record.Id} ({record.Name}) has no address yet.");
                return record.Settings.Address is null ? ExitCodes.NotFound : ExitCodes.Ok;
            }
            await accounts.SetMailboxAddressAsync(record.Id, value, cancellationToken);
            Console.Out.WriteLine(value is null
                ? $"Account {record.Id} ({record.Name}) has no address now; the next sync learns it from the Sent folder."
                : $"Account {record.Id} ({record.Name}) is {value}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateScope()
    {
        var account = new Argument<string>("ACCOUNT") { Description = "Account id or name." };
        var scope = new Argument<string>("SCOPE") { Description = "all or contacts.", HelpName = EnumWords.HelpName<MailboxScope>() };
        var command = new Command("scope", "Set what an account keeps: all, or contacts (only mail with a known contact). Going back to all fetches the skipped mail at the next sync.") { account, scope };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var text = parseResult.GetValue(scope)!;
            if (!EnumWords.TryParse<MailboxScope>(text, out var value))
                return CliOutput.Error(ExitCodes.Usage, $"the scope must be {EnumWords.Choices<MailboxScope>()} (was '{text}').");
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var accounts = services.GetRequiredService<IAccountStore>();
            var record = await accounts.FindMailboxAsync(parseResult.GetValue(account)!, cancellationToken);
            if (record is null)
                return CliOutput.Error(ExitCodes.NotFound, $"no account '{parseResult.GetValue(account)}'.");
            if (value == MailboxScope.Contacts && record.Protocol != MailboxProtocol.Imap)
                return CliOutput.Error(ExitCodes.Usage, $"scope contacts needs an IMAP account; '{record.Name}' is {EnumWords.Of(record.Protocol)}.");
            await accounts.SetMailboxScopeAsync(record.Id, value, cancellationToken);
            Console.Out.WriteLine($"Account {record.Id} ({record.Name}) keeps {(value == MailboxScope.All ? "all mail" : "only mail with known contacts")}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using Mailroom.Connectors.Auth;
using Mailroom.Connectors.Imap;
using Mailroom.Connectors.Pop3;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Server.Sync;

namespace Mailroom.Server.Cli;

/// <summary><c>mailroom account add|list|remove</c>.</summary>
internal static class AccountCommand
{
    public static Command Create()
    {
        var command = new Command("account", "Add, list and remove mailbox accounts.");
        command.Subcommands.Add(CreateAdd());
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateRemove());
        command.Subcommands.Add(CreateScope());
        return command;
    }

    private static Command CreateAdd()
    {
        var imap = new Option<string>("--imap") { Description = "IMAP server as HOST or HOST:PORT (port 993 for tls, else 143)." };
        var pop3 = new Option<string>("--pop3") { Description = "POP3 server as HOST or HOST:PORT (port 995 for tls, else 110); one folder, never deleted from." };
        var address = new Argument<string?>("ADDRESS")
        {
            Description = "Email address: without --imap or --pop3, the server is discovered from it (see `mailroom discover`).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var user = new Option<string>("--user") { Description = "Login name (with ADDRESS: default what discovery found)." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of stdin." };
        var oauth = new Option<string>("--oauth")
        {
            Description = "Log in with OAuth2 through this configured provider (OAuth:Providers:NAME) instead of a password: "
                + "prints a URL and a code to approve on any device.",
        };
        var security = new Option<TransportSecurity>("--security")
        {
            Description = "tls (implicit TLS, default), starttls (fails if the server does not upgrade) or none.",
            DefaultValueFactory = _ => TransportSecurity.Tls,
            CustomParser = r => ParseSecurity(r),
        };
        var allowPlaintext = new Option<bool>("--allow-plaintext") { Description = "Allow --security none for this account." };
        var name = new Option<string>("--name") { Description = "A name for the account (default USER@HOST)." };
        var caFile = new Option<FileInfo>("--ca-file") { Description = "PEM file with a CA to trust for this server (self-hosted)." };
        var noVerify = new Option<bool>("--no-verify") { Description = "Save without logging in first." };
        var org = new Option<string>("--org") { Description = "Organization (default: default).", DefaultValueFactory = _ => "default" };
        var scope = ScopeOption();
        var json = CliOptions.Json;
        var smtp = new Option<string>("--smtp") { Description = "SMTP submission server as HOST or HOST:PORT (465 for tls, else 587); same login and password." };
        var smtpSecurity = new Option<TransportSecurity?>("--smtp-security")
        {
            Description = "tls, starttls or none for SMTP (default: as --security).",
            CustomParser = r => ParseSecurity(r),
        };
        var smtpUser = new Option<string>("--smtp-user") { Description = "A different login for SMTP (same password)." };

        var command = new Command("add", "Add an IMAP or POP3 account. The login is checked before anything is saved.")
        {
            address, imap, pop3, user, passwordStdin, oauth, security, allowPlaintext, name, caFile, noVerify, org, scope, json, smtp, smtpSecurity, smtpUser,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var imapServer = parseResult.GetValue(imap);
            var pop3Server = parseResult.GetValue(pop3);
            AccountDiscovery.Choice? discovered = null;
            if (imapServer is null && pop3Server is null && parseResult.GetValue(address) is { } discoverFrom)
            {
                (discovered, var exitCode) = await AccountDiscovery.ChooseAsync(
                    parseResult, discoverFrom, parseResult.GetValue(user), parseResult.GetValue(caFile), parseResult.GetValue(json), cancellationToken);
                if (discovered is null)
                    return exitCode;
                pop3Server = discovered.Protocol == MailboxProtocol.Pop3 ? discovered.Settings.Host : null;
                imapServer = pop3Server is null ? discovered.Settings.Host : null;
            }
            if ((imapServer is null) == (pop3Server is null))
                return CliOutput.Error(ExitCodes.Usage, "give an ADDRESS to discover the server from, or exactly one of --imap HOST[:PORT] or --pop3 HOST[:PORT].");
            if (discovered is null && parseResult.GetValue(user) is null)
                return CliOutput.Error(ExitCodes.Usage, "--user is required with --imap or --pop3.");
            var isPop3 = pop3Server is not null;
            var protocol = isPop3 ? MailboxProtocol.Pop3 : MailboxProtocol.Imap;
            if (!HostAndPort.TryParse((imapServer ?? pop3Server)!, out var host, out var port, out var hostError))
                return CliOutput.Error(ExitCodes.Usage, hostError!);
            var chosenSecurity = parseResult.GetValue(security);
            if (isPop3 && parseResult.GetValue(scope) == MailboxScope.Contacts)
                return CliOutput.Error(ExitCodes.Usage, "--scope contacts needs IMAP (fetching a new contact's mail later searches the server); POP3 mailboxes keep everything.");
            if (chosenSecurity == TransportSecurity.None && !parseResult.GetValue(allowPlaintext))
                return CliOutput.Error(ExitCodes.Usage, "--security none sends the password in clear text; add --allow-plaintext to allow it for this account.");
            var ca = parseResult.GetValue(caFile);
            if (ca is { Exists: false })
                return CliOutput.Error(ExitCodes.NotFound, $"no such CA file: {ca.FullName}");

            var oauthProvider = parseResult.GetValue(oauth);
            if (oauthProvider is not null && parseResult.GetValue(passwordStdin))
                return CliOutput.Error(ExitCodes.Usage, "give either --oauth PROVIDER or --password-stdin, not both.");
            string? password = null;
            if (oauthProvider is null)
            {
                password = parseResult.GetValue(passwordStdin) ? Console.In.ReadLine() : PasswordPrompt.Read("Password: ");
                if (string.IsNullOrEmpty(password))
                    return CliOutput.Error(ExitCodes.Usage, "no password given (use --password-stdin, or run in a terminal to be asked).");
            }

            var settings = discovered?.Settings ?? new MailboxSettings
            {
                Host = host,
                Port = port ?? (isPop3 ? MailboxSettings.DefaultPop3Port(chosenSecurity) : MailboxSettings.DefaultImapPort(chosenSecurity)),
                UserName = parseResult.GetValue(user)!,
                Security = chosenSecurity,
                AllowPlaintext = chosenSecurity == TransportSecurity.None,
                TrustedCaFile = ca?.FullName,
                OAuthProvider = oauthProvider,
                Scope = parseResult.GetValue(scope),
            };

            SmtpSettings? smtpSettings = null;
            if (parseResult.GetValue(smtp) is { } smtpServer)
            {
                if (!HostAndPort.TryParse(smtpServer, out var smtpHost, out var smtpPort, out var smtpError))
                    return CliOutput.Error(ExitCodes.Usage, smtpError!);
                var s = parseResult.GetValue(smtpSecurity) ?? chosenSecurity;
                if (s == TransportSecurity.None && !parseResult.GetValue(allowPlaintext))
                    return CliOutput.Error(ExitCodes.Usage, "--smtp-security none sends the password in clear text; add --allow-plaintext to allow it for this account.");
                smtpSettings = new SmtpSettings { Host = smtpHost, Port = smtpPort ?? SmtpSettings.DefaultPort(s), Security = s, UserName = parseResult.GetValue(smtpUser) };
            }

            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            OAuthTokens? tokens = null;
            if (oauthProvider is not null)
            {
                var (granted, exitCode, error) = await DeviceLogin.RunAsync(services.GetRequiredService<OAuthClient>(), oauthProvider, cancellationToken);
                if (granted is null)
                    return CliOutput.Error(exitCode, error!);
                tokens = granted;
            }
            var credential = tokens is null ? MailboxCredential.Password(password!) : MailboxCredential.OAuth2(tokens.AccessToken);
            if (!parseResult.GetValue(noVerify) && smtpSettings is not null)
            {
                try
                {
                    await using var smtpSession = await services.GetRequiredService<ISmtpConnector>().ConnectAsync(
                        smtpSettings, ca?.FullName, smtpSettings.Security == TransportSecurity.None,
                        tokens is null
                            ? new SmtpCredential(smtpSettings.UserName ?? settings.UserName, password!)
                            : new SmtpCredential(smtpSettings.UserName ?? settings.UserName, tokens.AccessToken, IsAccessToken: true), cancellationToken);
                }
                catch (ConnectorException ex)
                {
                    return CliOutput.Error(SyncCommand.ExitCodeFor(ex.Kind), "SMTP: " + ex.Message);
                }
            }
            if (!parseResult.GetValue(noVerify))
            {
                try
                {
                    await using IAsyncDisposable session = isPop3
                        ? await services.GetRequiredService<Pop3Connector>().ConnectAsync(settings, credential, cancellationToken)
                        : await services.GetRequiredService<ImapConnector>().ConnectAsync(settings, credential, cancellationToken);
                }
                catch (ConnectorException ex)
                {
                    return CliOutput.Error(SyncCommand.ExitCodeFor(ex.Kind), ex.Message);
                }
            }

            var accounts = services.GetRequiredService<IAccountStore>();
            var orgId = await accounts.EnsureOrganizationAsync(parseResult.GetValue(org)!, cancellationToken);
            var accountName = parseResult.GetValue(name) ?? $"{settings.UserName}@{settings.Host}";
            try
            {
                var record = tokens is null
                    ? await accounts.AddMailboxAsync(orgId, accountName, protocol, settings,
                        services.GetRequiredService<ISecretProtector>().Protect(SecretPurposes.MailboxPassword, password!), cancellationToken)
                    : await accounts.AddOAuthMailboxAsync(orgId, accountName, protocol, settings,
                        services.GetRequiredService<MailboxCredentials>().Protect(tokens), cancellationToken);
                if (smtpSettings is not null)
                {
                    await accounts.SetSmtpAsync(record.Id, smtpSettings, cancellationToken);
                    record = record with { Smtp = smtpSettings };
                }
                if (parseResult.GetValue(json))
                    CliOutput.WriteJson(AccountView.From(record));
                else
                    Console.Out.WriteLine($"Added account {record.Id} ({record.Name}): {EnumWords.Of(protocol)} {settings.Host}:{settings.Port} {EnumWords.Of(settings.Security)}"
                        + (oauthProvider is null ? "" : $", OAuth2 through {oauthProvider}")
                        + (smtpSettings is null ? "." : $", smtp {smtpSettings.Host}:{smtpSettings.Port} {EnumWords.Of(smtpSettings.Security)}."));
                return ExitCodes.Ok;
            }
            catch (InvalidOperationException ex)
            {
                return CliOutput.Error(ExitCodes.Usage, ex.Message);
            }
        });
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
                Console.Out.WriteLine($"{m.Id,4}  {m.Name,-32} {EnumWords.Of(m.Protocol)} {m.Settings.Host}:{m.Settings.Port} {EnumWords.Of(m.Settings.Security),-8} {EnumWords.Of(m.State),-12} last sync {synced}{(m.LastError is null ? "" : "  " + m.LastError)}");
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
            if (record is null || !await accounts.RemoveMailboxAsync(record.Id, cancellationToken))
                return CliOutput.Error(ExitCodes.NotFound, $"no account '{parseResult.GetValue(account)}'.");
            Console.Out.WriteLine($"Removed account {record.Id} ({record.Name}) and its synced mail.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<MailboxScope> ScopeOption() => new("--scope")
    {
        Description = "all (default): keep every message; contacts: keep only mail with a known contact (the rest is skipped, not stored).",
        DefaultValueFactory = _ => MailboxScope.All,
        CustomParser = r =>
        {
            var text = r.Tokens.Count == 0 ? "all" : r.Tokens[0].Value;
            if (Enum.TryParse<MailboxScope>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !char.IsDigit(text[0]))
                return value;
            r.AddError($"--scope must be all or contacts (was '{text}').");
            return MailboxScope.All;
        },
    };

    private static Command CreateScope()
    {
        var account = new Argument<string>("ACCOUNT") { Description = "Account id or name." };
        var scope = new Argument<string>("SCOPE") { Description = "all or contacts." };
        var command = new Command("scope", "Set what an account keeps: all, or contacts (only mail with a known contact). Going back to all fetches the skipped mail at the next sync.") { account, scope };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var text = parseResult.GetValue(scope)!;
            if (!Enum.TryParse<MailboxScope>(text, ignoreCase: true, out var value) || !Enum.IsDefined(value) || char.IsDigit(text[0]))
                return CliOutput.Error(ExitCodes.Usage, $"the scope must be all or contacts (was '{text}').");
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

    private static TransportSecurity ParseSecurity(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "tls" : result.Tokens[0].Value;
        switch (text.ToLowerInvariant())
        {
            case "tls": return TransportSecurity.Tls;
            case "starttls": return TransportSecurity.StartTls;
            case "none": return TransportSecurity.None;
            default:
                result.AddError($"--security must be tls, starttls or none (was '{text}').");
                return TransportSecurity.Tls;
        }
    }
}

using System.CommandLine;
using Mailroom.Connectors.Auth;
using Mailroom.Connectors.Discovery;
using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;
using Mailroom.Server.Accounts;

namespace Mailroom.Server.Cli;

/// <summary><c>mailroom account add</c>: options to an <see cref="OnboardingRequest"/>, the secret, and the result to an exit code.</summary>
internal static class AccountAddCommand
{
    public static Command Create()
    {
        var imap = new Option<string>("--imap") { Description = "IMAP server as HOST or HOST:PORT (port 993 for tls, else 143)." };
        var gmailApi = new Option<bool>("--gmail-api")
        {
            Description = "Read and send through Google's Gmail API instead of IMAP/SMTP (needs --oauth PROVIDER and the address; scopes gmail.readonly and gmail.send).",
        };
        var graph = new Option<bool>("--graph")
        {
            Description = "Read and send through Microsoft Graph instead of IMAP/SMTP, for Microsoft 365 (needs --oauth PROVIDER and the address or --user; "
                + "delegated scopes Mail.ReadWrite, Mail.Send and offline_access).",
        };
        var ews = new Option<string>("--ews")
        {
            Description = "Read and send through Exchange Web Services (on-premises Exchange), at this https URL "
                + "(https://HOST/EWS/Exchange.asmx); with the password (NTLM or Basic, see --auth).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var ewsAuth = WordOption.Create("--auth", "With --ews: ntlm (default) or basic (over TLS only).", EwsAuthentication.Ntlm);
        var pop3 = new Option<string>("--pop3") { Description = "POP3 server as HOST or HOST:PORT (port 995 for tls, else 110); one folder, never deleted from." };
        var addressArgument = new Argument<string?>("ADDRESS")
        {
            Description = "The mailbox's email address: without --imap or --pop3, the servers are discovered from it (see `mailroom discover`).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var address = new Option<string>("--address")
        {
            Description = "The mailbox's own address, when the login is not one (the From of mail sent from it); "
                + "default ADDRESS, else the login when it is an address, else the From that dominates Sent after the first sync.",
        };
        var user = new Option<string>("--user") { Description = "Login name (default: the address, or what discovery found)." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of stdin." };
        var oauth = new Option<string>("--oauth")
        {
            Description = "Log in with OAuth2 through this configured provider (OAuth:Providers:NAME) instead of a password: "
                + "prints a URL and a code to approve on any device.",
        };
        var security = WordOption.Create("--security", "tls (implicit TLS, default), starttls (fails if the server does not upgrade) or none.", TransportSecurity.Tls);
        var allowPlaintext = new Option<bool>("--allow-plaintext") { Description = "Allow --security none for this account." };
        var name = new Option<string>("--name") { Description = "A name for the account (default USER@HOST)." };
        var caFile = new Option<FileInfo>("--ca-file") { Description = "PEM file with a CA to trust for this server (self-hosted)." };
        var noVerify = new Option<bool>("--no-verify") { Description = "Save without logging in first." };
        var org = new Option<string>("--org") { Description = "Organization (default: default).", DefaultValueFactory = _ => "default" };
        var scope = AccountCommand.ScopeOption();
        var json = CliOptions.Json;
        var smtp = new Option<string>("--smtp")
        {
            Description = "SMTP submission server as HOST or HOST:PORT (465 for tls, else 587); same login and password (default: what discovery found).",
        };
        var smtpSecurity = WordOption.CreateOptional<TransportSecurity>("--smtp-security", "tls, starttls or none for SMTP (default: as --security).");
        var smtpUser = new Option<string>("--smtp-user") { Description = "A different login for SMTP (same password)." };

        var command = new Command("add", "Add an IMAP, POP3, Gmail API, Microsoft Graph or EWS account. The login is checked before anything is saved.")
        {
            addressArgument, address, imap, pop3, gmailApi, graph, ews, ewsAuth, user, passwordStdin, oauth, security, allowPlaintext, name, caFile, noVerify, org, scope, json,
            smtp, smtpSecurity, smtpUser,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var imapServer = parseResult.GetValue(imap);
            var pop3Server = parseResult.GetValue(pop3);
            var useGmailApi = parseResult.GetValue(gmailApi);
            var useGraph = parseResult.GetValue(graph);
            if (useGmailApi && useGraph)
                return CliOutput.Error(ExitCodes.Usage, "give one of --gmail-api or --graph, not both.");
            var (apiFlag, apiSetting) = useGraph ? ("--graph", "Graph:BaseUrl") : ("--gmail-api", "Gmail:ApiBaseUrl");
            if ((useGmailApi || useGraph) && (imapServer is not null || pop3Server is not null || parseResult.GetValue(smtp) is not null))
                return CliOutput.Error(ExitCodes.Usage, $"{apiFlag} takes no --imap, --pop3 or --smtp: the API is at {apiSetting}.");
            if ((useGmailApi || useGraph) && parseResult.GetValue(oauth) is null)
                return CliOutput.Error(ExitCodes.Usage, $"{apiFlag} needs --oauth PROVIDER (the API takes no password).");
            var useEws = parseResult.GetResult(ews) is not null;
            var ewsUrl = parseResult.GetValue(ews);
            if (useEws && (useGmailApi || useGraph || imapServer is not null || pop3Server is not null || parseResult.GetValue(smtp) is not null))
                return CliOutput.Error(ExitCodes.Usage, "--ews takes no --imap, --pop3, --smtp, --gmail-api or --graph: Exchange is read and sends through EWS.");
            if (useEws && parseResult.GetValue(oauth) is not null)
                return CliOutput.Error(ExitCodes.Usage, "--ews logs in with a password (--password-stdin); OAuth2 is not supported for it yet.");
            if (!useEws && parseResult.GetResult(ewsAuth) is { Implicit: false })
                return CliOutput.Error(ExitCodes.Usage, "--auth goes with --ews.");
            if (imapServer is not null && pop3Server is not null)
                return CliOutput.Error(ExitCodes.Usage, "give one of --imap HOST[:PORT] or --pop3 HOST[:PORT], not both.");
            var given = parseResult.GetValue(addressArgument);
            var own = parseResult.GetValue(address);
            if (given is not null && own is not null && !string.Equals(given.Trim(), own.Trim(), StringComparison.OrdinalIgnoreCase))
                return CliOutput.Error(ExitCodes.Usage, $"ADDRESS ({given}) and --address ({own}) differ; give one.");
            if (imapServer is null && pop3Server is null && given is null && own is null && !((useGraph || ewsUrl is not null) && parseResult.GetValue(user) is not null))
                return CliOutput.Error(ExitCodes.Usage, "give an ADDRESS to discover the server from, or one of --imap HOST[:PORT] or --pop3 HOST[:PORT].");
            var smtpServer = parseResult.GetValue(smtp);
            if (smtpServer is null && (parseResult.GetValue(smtpSecurity) is not null || parseResult.GetValue(smtpUser) is not null))
                return CliOutput.Error(ExitCodes.Usage, "--smtp-security and --smtp-user need --smtp HOST[:PORT].");

            var asJson = parseResult.GetValue(json);
            var request = new OnboardingRequest
            {
                OrganizationId = 0, // set once the database is open, below
                Address = own ?? given,
                Protocol = useEws ? MailboxProtocol.Ews : useGraph ? MailboxProtocol.Graph : useGmailApi ? MailboxProtocol.GmailApi : pop3Server is null ? MailboxProtocol.Imap : MailboxProtocol.Pop3,
                Host = imapServer ?? pop3Server,
                Security = parseResult.GetValue(security).Value,
                UserName = parseResult.GetValue(user),
                AllowPlaintext = parseResult.GetValue(allowPlaintext),
                TrustedCaFile = parseResult.GetValue(caFile)?.FullName,
                Name = parseResult.GetValue(name),
                Scope = parseResult.GetValue(scope).Value,
                Smtp = smtpServer is null ? null : new OnboardingSmtp(smtpServer, null, parseResult.GetValue(smtpSecurity), parseResult.GetValue(smtpUser)),
                Verify = !parseResult.GetValue(noVerify),
                Url = ewsUrl,
                EwsAuthentication = parseResult.GetValue(ewsAuth).Value,
            };
            // Refuse what cannot work before asking for a password or an approval.
            if (MailboxOnboarding.Validate(request) is { } invalid)
                return OnboardingExit.Report(invalid);

            var oauthProvider = parseResult.GetValue(oauth);
            if (oauthProvider is not null && parseResult.GetValue(passwordStdin))
                return CliOutput.Error(ExitCodes.Usage, "give either --oauth PROVIDER or --password-stdin, not both.");
            OnboardingSecret? secret = null;
            if (oauthProvider is null)
            {
                var password = parseResult.GetValue(passwordStdin) ? Console.In.ReadLine() : PasswordPrompt.Read("Password: ");
                if (string.IsNullOrEmpty(password))
                    return CliOutput.Error(ExitCodes.Usage, "no password given (use --password-stdin, or run in a terminal to be asked).");
                secret = OnboardingSecret.FromPassword(password);
            }

            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var oauthClient = services.GetRequiredService<OAuthClient>();
            if (request.Protocol == MailboxProtocol.Graph && oauthClient.UsesApplicationPermissions(oauthProvider))
            {
                // Application permissions: the client's own credential, nobody to ask.
                var accountsStore = services.GetRequiredService<IAccountStore>();
                var applicationRequest = request with { OrganizationId = await accountsStore.EnsureOrganizationAsync(parseResult.GetValue(org)!, cancellationToken) };
                var added = await services.GetRequiredService<MailboxOnboarding>().AddWithApplicationPermissionsAsync(applicationRequest, oauthProvider!, cancellationToken);
                if (added.Mailbox is not { } applicationMailbox)
                    return OnboardingExit.Report(added);
                if (asJson)
                    CliOutput.WriteJson(AccountView.From(applicationMailbox));
                else
                    Console.Out.WriteLine(Describe(applicationMailbox, "Added"));
                return ExitCodes.Ok;
            }
            if (oauthProvider is not null)
            {
                var (tokens, exitCode, error) = await DeviceLogin.RunAsync(oauthClient, oauthProvider,
                    request.Protocol is MailboxProtocol.GmailApi or MailboxProtocol.Graph ? EnumWords.Of(request.Protocol) : null, cancellationToken);
                if (tokens is null)
                    return CliOutput.Error(exitCode, error!);
                secret = OnboardingSecret.FromOAuth(oauthProvider, tokens);
            }
            // Discovery must trust the CA of a self-hosted server as the login does.
            if (request.TrustedCaFile is { } ca)
                services.GetRequiredService<DiscoveryOptions>().TrustedCaFile = ca;

            var accounts = services.GetRequiredService<IAccountStore>();
            request = request with { OrganizationId = await accounts.EnsureOrganizationAsync(parseResult.GetValue(org)!, cancellationToken) };
            var result = await services.GetRequiredService<MailboxOnboarding>().AddAsync(request, secret!, cancellationToken);
            if (result.Discovery is { } discovery && !asJson)
                PrintDiscovery(discovery);
            if (result.Mailbox is not { } record)
                return OnboardingExit.Report(result);

            if (record.Settings.ServiceUrl is { } foundUrl && result.SettingsFrom != OnboardingResult.Explicit && !asJson)
                Console.Out.WriteLine($"Found by {result.SettingsFrom}: {foundUrl}");
            if (asJson)
                CliOutput.WriteJson(AccountView.From(record));
            else
                Console.Out.WriteLine(Describe(record, "Added"));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>"Added account 3 (name): imap host:993 tls, address a@b.c, OAuth2 through p, smtp host:465 tls."</summary>
    public static string Describe(MailboxRecord record, string verb)
    {
        var s = record.Settings;
        return $"{verb} account {record.Id} ({record.Name}): {EnumWords.Of(record.Protocol)} {s.Host}:{s.Port} {EnumWords.Of(s.Security)}"
            + (s.Address is { } a ? $", address {a}" : ", address not known yet (learned from Sent at the first sync, or set with `mailroom account address`)")
            + (s.OAuthProvider is { } p ? $", OAuth2 through {p}" : "")
            + (record.Smtp is { } smtp ? $", smtp {smtp.Host}:{smtp.Port} {EnumWords.Of(smtp.Security)}." : ".");
    }

    private static void PrintDiscovery(DiscoveryResult result)
    {
        if (!result.Found)
        {
            DiscoverCommand.Print(result);
            return;
        }
        var c = (result.Imap ?? result.Pop3)!.Candidate;
        Console.Out.WriteLine($"Found by {EnumWords.Of(result.Winner!.Value)}: {EnumWords.Of(c.Protocol)} {c.Host}:{c.Port} {EnumWords.Of(c.Security)}, user {c.UserName}.");
    }
}

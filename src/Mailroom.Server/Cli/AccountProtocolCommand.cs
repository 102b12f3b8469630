using System.CommandLine;
using Mailroom.Connectors.GmailApi;
using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;

namespace Mailroom.Server.Cli;

/// <summary>
/// <c>mailroom account protocol ACCOUNT imap|gmail-api</c>: switches a Gmail mailbox between IMAP and the Gmail API.
/// Both keep one All Mail with the same identities (X-GM-MSGID) and thread ids, so the switch downloads nothing the
/// mailbox holds; the OAuth grant stays (Google's IMAP scope also opens the API).
/// </summary>
internal static class AccountProtocolCommand
{
    private const string GmailImapHost = "imap.gmail.com";

    public static Command Create()
    {
        var account = new Argument<string>("ACCOUNT") { Description = "Account id or name." };
        var protocol = new Argument<string>("PROTOCOL") { Description = "imap or gmail-api.", HelpName = "imap|gmail-api" };
        var command = new Command("protocol", "Switch a Gmail OAuth account between IMAP and the Gmail API; nothing already synced is downloaded again.")
        {
            account, protocol,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var text = parseResult.GetValue(protocol)!;
            if (!EnumWords.TryParse<MailboxProtocol>(text, out var value) || value is not (MailboxProtocol.Imap or MailboxProtocol.GmailApi))
                return CliOutput.Error(ExitCodes.Usage, $"the protocol must be imap or gmail-api (was '{text}').");
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var accounts = services.GetRequiredService<IAccountStore>();
            var record = await accounts.FindMailboxAsync(parseResult.GetValue(account)!, cancellationToken);
            if (record is null)
                return CliOutput.Error(ExitCodes.NotFound, $"no account '{parseResult.GetValue(account)}'.");
            if (record.Protocol is not (MailboxProtocol.Imap or MailboxProtocol.GmailApi))
                return CliOutput.Error(ExitCodes.Usage, $"'{record.Name}' is {EnumWords.Of(record.Protocol)}: only Gmail accounts switch between imap and gmail-api.");
            if (value == MailboxProtocol.GmailApi && record.Settings.OAuthProvider is null)
                return CliOutput.Error(ExitCodes.Usage, $"'{record.Name}' logs in with a password: the Gmail API needs OAuth2 (add it again with --gmail-api --oauth PROVIDER).");
            if (value == record.Protocol)
            {
                Console.Out.WriteLine($"Account {record.Id} ({record.Name}) already uses {EnumWords.Of(value)}.");
                return ExitCodes.Ok;
            }

            // The API ignores host and port (Gmail:ApiBaseUrl); back to IMAP, a mailbox added for the API gets Gmail's IMAP server.
            var (host, port) = (record.Settings.Host, record.Settings.Port);
            var api = new Uri(services.GetRequiredService<GmailOptions>().ApiBaseUrl);
            if (value == MailboxProtocol.Imap && string.Equals(host, api.Host, StringComparison.OrdinalIgnoreCase))
                (host, port) = (GmailImapHost, MailboxSettings.DefaultImapPort(TransportSecurity.Tls));
            await accounts.SetMailboxProtocolAsync(record.Id, value, host, port, cancellationToken);
            Console.Out.WriteLine($"Account {record.Id} ({record.Name}) now uses {EnumWords.Of(value)}; the next sync keeps what is stored.");
            return ExitCodes.Ok;
        });
        return command;
    }
}

using Mailroom.Connectors.Discovery;
using Mailroom.Core.Accounts;

namespace Mailroom.Server.Cli;

/// <summary><c>account add ADDRESS</c> without a server: discovery chooses it (IMAP when offered, else POP3).</summary>
internal static class AccountDiscovery
{
    public sealed record Choice(MailboxSettings Settings, MailboxProtocol Protocol, DiscoveryResult Result);

    /// <returns>The settings to log in with, or null and the exit code after an error was printed.</returns>
    public static async Task<(Choice? Choice, int ExitCode)> ChooseAsync(
        System.CommandLine.ParseResult parseResult, string addressText, string? userName, FileInfo? caFile, bool quiet, CancellationToken cancellationToken)
    {
        if (!MailAddress.TryParse(addressText, out var address, out var error))
            return (null, CliOutput.Error(ExitCodes.Usage, error!));
        if (caFile is { Exists: false })
            return (null, CliOutput.Error(ExitCodes.NotFound, $"no such CA file: {caFile.FullName}"));
        await using var services = CommandServices.CreateForDiscovery(parseResult);
        var options = services.GetRequiredService<DiscoveryOptions>();
        if (caFile is not null)
            options.TrustedCaFile = caFile.FullName;
        var result = await services.GetRequiredService<MailDiscovery>().DiscoverAsync(address!, cancellationToken);
        if (!result.Found)
        {
            if (!quiet)
                DiscoverCommand.Print(result);
            return (null, CliOutput.Error(ExitCodes.NotFound,
                $"no working IMAP or POP3 settings found for {result.Domain}; give the server with --imap or --pop3."));
        }
        var (server, protocol) = result.Imap is { } imap ? (imap, MailboxProtocol.Imap) : (result.Pop3!, MailboxProtocol.Pop3);
        var c = server.Candidate;
        var settings = new MailboxSettings
        {
            Host = c.Host,
            Port = c.Port,
            UserName = userName ?? c.UserName,
            Security = c.Security,
            // The CA that let discovery verify the server is the one the login needs too.
            TrustedCaFile = options.TrustedCaFile is { Length: > 0 } ca ? Path.GetFullPath(ca) : null,
        };
        if (!quiet)
            Console.Out.WriteLine($"Found by {result.Winner.ToString()!.ToLowerInvariant()}: {EnumWords.Of(protocol)} {c.Host}:{c.Port} {EnumWords.Of(c.Security)}, user {settings.UserName}.");
        return (new Choice(settings, protocol, result), ExitCodes.Ok);
    }
}

using System.CommandLine;
using System.Globalization;
using Mailroom.Connectors.Discovery;

namespace Mailroom.Server.Cli;

/// <summary><c>mailroom discover ADDRESS</c>: the server settings for an address, and where they came from.</summary>
internal static class DiscoverCommand
{
    public static Command Create()
    {
        var address = new Argument<string>("ADDRESS") { Description = "An email address, e.g. someone@example.com." };
        var caFile = new Option<FileInfo>("--ca-file") { Description = "PEM file with a CA to trust for autoconfig and mail servers (self-hosted)." };
        var json = CliOptions.Json;
        var command = new Command("discover",
            "Find IMAP, POP3 and SMTP settings for an address: provider table, autoconfig, SRV, MX, then guessed host names. " +
            "Every server offered was connected to (TLS and greeting, no login).")
        {
            address, caFile, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!MailAddress.TryParse(parseResult.GetValue(address)!, out var parsed, out var error))
                return CliOutput.Error(ExitCodes.Usage, error!);
            var ca = parseResult.GetValue(caFile);
            if (ca is { Exists: false })
                return CliOutput.Error(ExitCodes.NotFound, $"no such CA file: {ca.FullName}");

            await using var services = CommandServices.CreateForDiscovery(parseResult);
            if (ca is not null)
                services.GetRequiredService<DiscoveryOptions>().TrustedCaFile = ca.FullName;
            var result = await services.GetRequiredService<MailDiscovery>().DiscoverAsync(parsed!, cancellationToken);
            if (parseResult.GetValue(json))
                CliOutput.WriteJson(DiscoveryView.From(result));
            else
                Print(result);
            return result.Found ? ExitCodes.Ok : CliOutput.Error(ExitCodes.NotFound, $"no working settings found for {result.Domain} (the sources say why).");
        });
        return command;
    }

    public static void Print(DiscoveryResult r)
    {
        var o = Console.Out;
        o.WriteLine(r.Found
            ? $"{r.Address}: found by {Name(r.Winner!.Value)} in {Seconds(r.Elapsed)}{(r.ProviderName is null ? "" : $" ({r.ProviderName})")}"
            : $"{r.Address}: nothing found in {Seconds(r.Elapsed)}");
        foreach (var (label, check) in new[] { ("IMAP", r.Imap), ("POP3", r.Pop3), ("SMTP", r.Smtp) })
        {
            if (check is null)
                continue;
            var c = check.Candidate;
            var auth = check.AuthenticationMechanisms.Count == 0 ? "" : $"  auth {string.Join(' ', check.AuthenticationMechanisms)}";
            o.WriteLine($"  {label}  {c.Host}:{c.Port} {EnumWords.Of(c.Security),-8} user {c.UserName}{auth}");
        }
        if (r.Found)
            o.WriteLine($"  OAuth {Name(r.OAuth)}");
        o.WriteLine("Sources:");
        foreach (var s in r.Sources)
        {
            o.WriteLine($"  {Name(s.Source),-10} {Name(s.Outcome),-17} {Seconds(s.Elapsed),7}  {s.Detail}");
            foreach (var c in s.Candidates)
                o.WriteLine($"      {c.Candidate,-48} {(c.Connected ? "connected" : c.Error)}");
        }
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    private static string Name<T>(T value) where T : struct, Enum => EnumWords.Of(value);
}

using System.CommandLine;
using Mailroom.Core.Html;
using Mailroom.Server.Hosting;
using Mailroom.Server.View;

namespace Mailroom.Server.Cli;

/// <summary>
/// <c>mailroom render FILE.eml [--allow-remote] [--report]</c>: the message's safe view document exactly as
/// <c>GET /view/messages/{id}/body</c> serves it (CSP included, as a meta element), or its privacy report.
/// </summary>
internal static class RenderCommand
{
    public static Command Create()
    {
        var file = MessageFileArgument.Create();
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Route remote images through the image proxy (signed /view/proxy URLs) instead of blocking them." };
        var report = new Option<bool>("--report") { Description = "Print the privacy report (what was removed or blocked, and why) instead of the document." };
        var id = new Option<long>("--id") { Description = "The message id to use in inline image URLs (/view/messages/ID/inline/N); default 0.", DefaultValueFactory = _ => 0 };
        var json = CliOptions.Json;
        var command = new Command("render", "Write a message's safe HTML view (or, with --report, its privacy report) to standard output.")
        { file, allowRemote, report, id, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (await MessageFileArgument.ReadAsync(parseResult.GetValue(file)!, cancellationToken) is not { } raw)
                return ExitCodes.NotFound;

            var configuration = MailroomConfiguration.Build(parseResult);
            var remote = parseResult.GetValue(allowRemote);
            // The signing key lives in the data folder; only --allow-remote needs it (and creates it on first use).
            var signer = remote ? ViewUrlSigner.ForDataFolder(MailroomConfiguration.DataPath(configuration)) : new ViewUrlSigner(new byte[32]);
            var view = ViewApi.Render(new MessageViewRenderer(new EmailHtmlSanitizer()), signer, parseResult.GetValue(id), raw, remote);
            if (!parseResult.GetValue(report))
            {
                await Console.Out.WriteAsync(view.Html);
                await Console.Out.FlushAsync(cancellationToken);
                return ExitCodes.Ok;
            }
            if (parseResult.GetValue(json))
            {
                CliOutput.WriteJson(PrivacyReportJson.From(view.Report));
                return ExitCodes.Ok;
            }
            PrintReport(view.Report, Console.Out);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void PrintReport(PrivacyReport report, TextWriter output)
    {
        if (report.Counts.Count == 0)
        {
            output.WriteLine("Nothing removed or blocked.");
            return;
        }
        foreach (var (kind, count) in report.Counts.OrderBy(c => c.Key))
            output.WriteLine($"{PrivacyReportJson.Name(kind),-24} {count}");
        output.WriteLine();
        foreach (var finding in report.Findings)
            output.WriteLine(finding.Url is null ? $"{PrivacyReportJson.Name(finding.Kind)}: {finding.What}" : $"{PrivacyReportJson.Name(finding.Kind)}: {finding.What} <{finding.Url}>");
    }
}

using System.CommandLine;
using System.Globalization;
using System.Net;
using Mailroom.Core.Search;
using Mailroom.Core.Storage;
using Mailroom.Server.Api.V1;
using Mailroom.Storage.Ingest;
using Mailroom.Storage.Queries;

namespace Mailroom.Server.Cli;

/// <summary><c>mailroom search QUERY [--org NAME] [--limit N] [--cursor C] [--json]</c>: full-text search (docs/search.md).</summary>
internal static class SearchCommand
{
    private const string List = "cli-search";

    public static Command Create()
    {
        var text = new Argument<string>("QUERY") { Description = "Words, \"phrases\" and filters: from: to: subject: has:attachment before: after: in: mailbox: contact: (quote the whole query for your shell)." };
        var org = new Option<string>("--org") { Description = "Organization (default: default).", DefaultValueFactory = _ => "default" };
        var limit = new Option<int>("--limit") { Description = "Results per page (1 to 500, default 20).", DefaultValueFactory = _ => 20 };
        var cursor = new Option<string>("--cursor") { Description = "Where to continue: the cursor printed after the previous page." };
        var json = CliOptions.Json;
        var command = new Command("search", "Find messages by what they say, newest first.") { text, org, limit, cursor, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var q = parseResult.GetValue(text)!;
            if (!SearchQueryParser.TryParse(q, out var query, out var error))
                return CliOutput.Error(ExitCodes.Usage, error);
            var size = parseResult.GetValue(limit);
            if (size is < 1 or > OrganizationQueries.MaxPageSize)
                return CliOutput.Error(ExitCodes.Usage, $"--limit must be between 1 and {OrganizationQueries.MaxPageSize}.");
            if (!Paging.TryDecode(parseResult.GetValue(cursor), List, out DateKeyset? after))
                return CliOutput.Error(ExitCodes.Usage, $"'{parseResult.GetValue(cursor)}' is not a search cursor.");

            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            // Without `serve` running, nobody else indexes messages stored before search existed; one look-up once done.
            await services.GetRequiredService<SearchIndexBackfill>().IndexAllAsync(500, cancellationToken);
            var orgId = await services.GetRequiredService<IAccountStore>().EnsureOrganizationAsync(parseResult.GetValue(org)!, cancellationToken);
            var results = await services.GetRequiredService<OrganizationQueries>().SearchAsync(orgId, query, after, size, cancellationToken);
            if (results.Problem is { } problem)
                return CliOutput.Error(ExitCodes.Usage, problem);
            var next = results.Next is { } n ? Paging.Encode(List, n) : null;
            if (parseResult.GetValue(json))
            {
                CliOutput.WriteJson(new { items = results.Hits.Select(SearchHitJson.Of), nextCursor = next });
                return ExitCodes.Ok;
            }

            foreach (var hit in results.Hits)
            {
                var m = hit.Message;
                var subject = Plain(hit.SubjectHtml);
                Console.Out.WriteLine($"{m.Id,8}  {Date(m.Date)}  {m.From ?? "",-30}  {(subject.Length > 0 ? subject : "(no subject)")}");
                Console.Out.WriteLine($"          {Plain(hit.SnippetHtml)}");
            }

            if (results.Hits.Count == 0)
                Console.Out.WriteLine("No messages.");
            if (next is not null)
                Console.Out.WriteLine($"More: --cursor {next}");
            return ExitCodes.Ok;
        });
        return command;
    }

    // A terminal shows the matches between asterisks; the escaping was for HTML only.
    private static string Plain(string html) =>
        WebUtility.HtmlDecode(html.Replace("<mark>", "*", StringComparison.Ordinal).Replace("</mark>", "*", StringComparison.Ordinal));

    private static string Date(DateTimeOffset? value) =>
        value is { } d ? d.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "                ";
}

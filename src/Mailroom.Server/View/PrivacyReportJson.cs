using Mailroom.Core.Html;

namespace Mailroom.Server.View;

/// <summary>The privacy report as the view endpoint and <c>mailroom render --report --json</c> print it.</summary>
internal sealed record PrivacyReportJson(IReadOnlyDictionary<string, int> Counts, IReadOnlyList<PrivacyFindingJson> Findings)
{
    public static PrivacyReportJson From(PrivacyReport report) => new(
        report.Counts.OrderBy(c => c.Key).ToDictionary(c => Name(c.Key), c => c.Value),
        [.. report.Findings.Select(f => new PrivacyFindingJson(Name(f.Kind), f.What, f.Url))]);

    public static string Name(PrivacyFindingKind kind) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());
}

/// <summary>One finding in <see cref="PrivacyReportJson"/>.</summary>
internal sealed record PrivacyFindingJson(string Kind, string What, string? Url);

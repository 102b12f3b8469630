using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Mailroom.Server.Tests.Api;

public sealed partial class OpenApiTests(SeededApi api) : IClassFixture<SeededApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex RouteParameter();

    private async Task<(OpenApiDocument Document, string Json)> LoadAsync()
    {
        var response = await api.App.Client(null).GetAsync("/openapi/v1.json", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync(Ct);
        var result = OpenApiDocument.Parse(json, "json", new OpenApiReaderSettings());
        Assert.Empty(result.Diagnostic?.Errors ?? []);
        Assert.NotNull(result.Document);
        return (result.Document!, json);
    }

    [Fact]
    public async Task The_document_validates_and_declares_the_bearer_scheme()
    {
        var (document, _) = await LoadAsync();
        var errors = document.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.Equal("Mailroom API", document.Info.Title);
        var scheme = document.Components!.SecuritySchemes!["ApiKey"];
        Assert.Equal(SecuritySchemeType.Http, scheme.Type);
        Assert.Equal("bearer", scheme.Scheme);
        Assert.NotEmpty(document.Security!);
        Assert.All(document.Paths.Keys, path => Assert.StartsWith("/v1/", path, StringComparison.Ordinal));
        foreach (var schema in new[] { "MailboxJson", "MessageDetailJson", "ContactJson", "OutboxItem", "ThreadDetailJson", "CreateMailboxRequest", "SendRequest" })
            Assert.True(document.Components.Schemas!.ContainsKey(schema), $"no schema {schema}: {string.Join(", ", document.Components.Schemas.Keys)}");
    }

    [Fact]
    public async Task Every_v1_endpoint_is_in_the_document()
    {
        var (document, _) = await LoadAsync();
        var endpoints = api.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true)
            .ToList();
        Assert.True(endpoints.Count >= 29, $"only {endpoints.Count} /v1 endpoints");
        foreach (var endpoint in endpoints)
        {
            var path = RouteParameter().Replace(endpoint.RoutePattern.RawText!, "{$1}").TrimEnd('/');
            Assert.True(document.Paths.TryGetValue(path, out var item), $"{path} is not in the OpenAPI document");
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods)
            {
                var operation = item!.Operations!.SingleOrDefault(o => o.Key.Method == method).Value;
                Assert.True(operation is not null, $"{method} {path} is not in the OpenAPI document");
                Assert.False(string.IsNullOrEmpty(operation.Summary), $"{method} {path} has no summary");
                Assert.True(operation.Responses!.ContainsKey("401"), $"{method} {path} does not document 401");
                Assert.Contains(operation.Responses.Keys, code => code.StartsWith('2'));
            }
        }
    }

    [Fact]
    public async Task The_reference_page_is_served()
    {
        var response = await api.App.Client(null).GetAsync("/docs", Ct);
        if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.MovedPermanently)
            response = await api.App.Client(null).GetAsync(response.Headers.Location, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Mailroom API", html, StringComparison.Ordinal);
        Assert.Contains("\"url\":\"openapi/v1.json\"", html, StringComparison.Ordinal);
        // The page's script is served by Mailroom itself, not fetched from a CDN.
        Assert.Contains("<script src=\"scalar.js\">", html, StringComparison.Ordinal);
        var script = await api.App.Client(null).GetAsync("/docs/scalar.js", Ct);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync(Ct)).Length > 100_000);
    }
}

using System.Net;
using Mailroom.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Server.Tests.Api;

public sealed class AuthTests(SeededApi api) : IClassFixture<SeededApi>
{
    [Fact]
    public async Task No_key_answers_401_problem_with_a_bearer_challenge()
    {
        var response = await api.App.Client(null).GetAsync("/v1/mailboxes", TestContext.Current.CancellationToken);
        await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("mr_not-a-real-key")]
    [InlineData("something-else")]
    public async Task Unknown_key_answers_401(string key)
    {
        var response = await api.App.Client(key).GetAsync("/v1/mailboxes", TestContext.Current.CancellationToken);
        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("Unknown or revoked", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoked_key_answers_401_on_every_kind_of_endpoint()
    {
        var ct = TestContext.Current.CancellationToken;
        var keys = api.App.Services.GetRequiredService<ApiKeyStore>();
        var (record, key) = await keys.CreateAsync(api.OrgA, "to revoke", ct);
        var client = api.App.Client(key);
        await ApiAssert.JsonAsync(await client.GetAsync("/v1/mailboxes", ct), HttpStatusCode.OK);

        Assert.NotNull(await keys.RevokeAsync(record.Prefix, ct));
        foreach (var url in new[] { "/v1/mailboxes", $"/v1/messages/{api.HtmlMessageA}", "/v1/contacts", "/v1/outbox", $"/v1/threads/{api.ThreadA}" })
            await ApiAssert.ProblemAsync(await client.GetAsync(url, ct), HttpStatusCode.Unauthorized);
        await ApiAssert.ProblemAsync(await client.PostAsync("/v1/contacts", ApiAssert.Body(new { externalId = "x", name = "X", addresses = new[] { "x@example.com" } }), ct),
            HttpStatusCode.Unauthorized);
        Assert.Null(await api.App.Services.GetRequiredService<Mailroom.Core.Storage.IContactStore>().GetAsync(api.OrgA, "x", ct));
    }

    [Fact]
    public async Task Keys_are_stored_hashed_and_listed_by_prefix()
    {
        var ct = TestContext.Current.CancellationToken;
        var keys = api.App.Services.GetRequiredService<ApiKeyStore>();
        var (record, key) = await keys.CreateAsync(api.OrgA, "listed", ct);
        Assert.StartsWith("mr_", key, StringComparison.Ordinal);
        Assert.True(key.Length >= 45);
        Assert.StartsWith(record.Prefix, key, StringComparison.Ordinal);
        Assert.True(record.Prefix.Length < 16);
        var listed = (await keys.ListAsync(api.OrgA, ct)).Single(k => k.Id == record.Id);
        Assert.Equal(record.Prefix, listed.Prefix);
        Assert.Equal(api.OrgA, await keys.AuthenticateAsync(key, ct));
        Assert.Null(await keys.AuthenticateAsync(key[..^1] + (key[^1] == 'A' ? 'B' : 'A'), ct));

        // The database holds the hash, never the key.
        var db = Path.Combine(api.App.DataPath, "mailroom.db");
        var bytes = await File.ReadAllBytesAsync(db, ct);
        var wal = Path.Combine(api.App.DataPath, "mailroom.db-wal");
        if (File.Exists(wal))
            bytes = [.. bytes, .. await File.ReadAllBytesAsync(wal, ct)];
        Assert.DoesNotContain(key, System.Text.Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Documentation_needs_no_key_but_data_does()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = api.App.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/v1/messages/{api.HtmlMessageA}/raw", ct)).StatusCode);
    }
}

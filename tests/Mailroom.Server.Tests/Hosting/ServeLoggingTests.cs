using Mailroom.Server.Hosting;
using Mailroom.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Mailroom.Server.Tests.Hosting;

/// <summary>
/// What the app that <c>serve</c> runs logs for one request, with the levels it gets when nothing is configured
/// (issue: 31 lines at Information for one GET /health).
/// </summary>
public sealed class ServeLoggingTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("mailroom-logging-").FullName;

    [Fact]
    public async Task One_health_request_logs_nothing_at_the_default_levels()
    {
        var lines = await LinesForOneHealthRequestAsync([]);

        Assert.True(lines.Count == 0, "GET /health logged:\n" + string.Join('\n', lines));
    }

    [Fact]
    public async Task LogRequests_logs_one_line_per_request_without_the_query_string()
    {
        var lines = await LinesForOneHealthRequestAsync(new() { ["LogRequests"] = "true" }, "/health?code=not-for-the-log", l => l.Count >= 1);

        var line = Assert.Single(lines);
        Assert.Matches(@"^Information Mailroom\.Server\.Hosting\.RequestLogMiddleware\[5010\] HTTP GET /health 200 in \d+\.\d ms$", line);
    }

    [Fact]
    public async Task A_framework_category_configured_louder_is_logged_again()
    {
        var lines = await LinesForOneHealthRequestAsync(
            new() { ["Logging:LogLevel:Microsoft.AspNetCore.Hosting"] = "Information" },
            settled: l => l.Count(x => x.Contains("Microsoft.AspNetCore.Hosting.Diagnostics", StringComparison.Ordinal)) >= 2);

        Assert.Equal(2, lines.Count(l => l.Contains("Microsoft.AspNetCore.Hosting.Diagnostics", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Default_at_debug_turns_everything_on()
    {
        var lines = await LinesForOneHealthRequestAsync(new() { ["Logging:LogLevel:Default"] = "Debug" });

        Assert.Contains(lines, l => l.StartsWith("Information Microsoft.AspNetCore.Hosting.Diagnostics[1] Request starting", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Debug Microsoft.AspNetCore.Routing", StringComparison.Ordinal));
    }

    [Fact]
    public void LogRequests_that_is_not_a_boolean_is_refused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DataPath"] = _data, ["LogRequests"] = "yes" }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => MailroomWebApp.Build(configuration, b => b.WebHost.UseTestServer()));

        Assert.Contains("LogRequests setting must be true or false, not 'yes'", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment.
        }
    }

    /// <summary>
    /// Starts the app with the settings, then returns what one request to <paramref name="path"/> logged. Hosting logs a
    /// request's end after the client has its response, so the lines are read once <paramref name="settled"/> holds
    /// (at most 10 s), or after a short grace when nothing is expected.
    /// </summary>
    private async Task<List<string>> LinesForOneHealthRequestAsync(
        Dictionary<string, string?> settings, string path = "/health", Func<List<string>, bool>? settled = null)
    {
        settings["DataPath"] = _data;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var capture = new CapturingLoggerProvider();
        await using var app = MailroomWebApp.Build(configuration, builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(capture);
        });
        await DatabaseInitializer.MigrateAsync(app.Services, TestContext.Current.CancellationToken);
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = app.GetTestClient();
        capture.Entries.Clear();

        // The first request: anything logged only once (endpoint routing set-up) counts too.
        (await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        var deadline = DateTime.UtcNow.AddSeconds(settled is null ? 0.3 : 10);
        while (DateTime.UtcNow < deadline && (settled is null || !settled(capture.Entries.ToList())))
            await Task.Delay(20, TestContext.Current.CancellationToken);
        var lines = capture.Entries.ToList();
        await app.StopAsync(TestContext.Current.CancellationToken);
        return lines;
    }
}

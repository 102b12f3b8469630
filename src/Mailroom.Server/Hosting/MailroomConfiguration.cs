using System.CommandLine;
using Mailroom.Server.Cli;

namespace Mailroom.Server.Hosting;

/// <summary>
/// Configuration, lowest precedence first: appsettings.json in the working directory, then environment variables
/// with the <c>MAILROOM__</c> prefix (<c>MAILROOM__Storage__ConnectionString</c>), then command-line options.
/// </summary>
internal static class MailroomConfiguration
{
    public const string EnvironmentPrefix = "MAILROOM__";

    public static IConfigurationRoot Build(ParseResult parseResult)
    {
        var overrides = new Dictionary<string, string?>();
        if (parseResult.GetValue(CliOptions.Data) is { Length: > 0 } data)
            overrides["DataPath"] = data;
        if (parseResult.GetValue(CliOptions.Db) is { Length: > 0 } db)
            overrides["Storage:ConnectionString"] = db;

        return new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddInMemoryCollection(overrides)
            .Build();
    }

    public static string DataPath(IConfiguration configuration) =>
        Path.GetFullPath(configuration["DataPath"] is { Length: > 0 } path ? path : "data");
}

using System.CommandLine;
using Mailroom.Server.Hosting;
using Mailroom.Storage;

namespace Mailroom.Server.Cli;

/// <summary>The services a one-shot command needs, with the database migrated. Logs go to stderr.</summary>
internal static class CommandServices
{
    public static async Task<ServiceProvider> CreateAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var configuration = MailroomConfiguration.Build(parseResult);
        var services = NewCollection(configuration);
        services.AddMailroom(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        try
        {
            await DatabaseInitializer.MigrateAsync(provider, cancellationToken);
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
        return provider;
    }

    /// <summary>Only discovery: no data folder, no database.</summary>
    public static ServiceProvider CreateForDiscovery(ParseResult parseResult)
    {
        var configuration = MailroomConfiguration.Build(parseResult);
        return NewCollection(configuration).AddMailroomDiscovery(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    private static ServiceCollection NewCollection(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(logging =>
        {
            logging.AddConfiguration(configuration.GetSection("Logging"));
            logging.AddSimpleConsole(o => o.SingleLine = true);
            logging.AddFilter((category, level) => level >= LogLevel.Warning);
            logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(
                o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });
        return services;
    }
}

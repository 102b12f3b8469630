namespace Mailroom.Server.Hosting;

/// <summary>
/// What <c>serve</c> logs unless configured otherwise. Mailroom's own lines stay at Information (started, listening,
/// each sync, each mailbox state change, outbox and webhook passes); ASP.NET Core, EF Core, Data Protection and
/// HttpClient (the <c>Microsoft</c> and <c>System</c> categories) log from Warning, because at Information they write
/// about a dozen lines for every HTTP request, and the full URL of each, query string included. Anything under
/// <c>Logging:LogLevel</c> overrides these, and <c>Logging:LogLevel:Default</c> at Debug or Trace turns everything on.
/// One line per request is the <see cref="LogRequestsKey"/> setting (<see cref="RequestLogMiddleware"/>).
/// </summary>
internal static class ServeLogging
{
    /// <summary>True: one Information line per HTTP request (method, path, status, duration).</summary>
    public const string LogRequestsKey = "LogRequests";

    // Orleans (cluster mode) logs every membership probe and directory change at Information, and Polly each placement retry.
    private static readonly string[] QuietCategories = ["Microsoft", "System", "Orleans", "Polly"];

    /// <summary>
    /// The defaults, added to the host's configuration below <paramref name="configuration"/> (Mailroom's settings), so
    /// that any of its settings wins.
    /// </summary>
    public static void AddDefaults(ConfigurationManager host, IConfiguration configuration)
    {
        var setting = configuration["Logging:LogLevel:Default"] ?? host["Logging:LogLevel:Default"];
        var level = Enum.TryParse<LogLevel>(setting, ignoreCase: true, out var configured) ? configured : LogLevel.Information;
        var defaults = new Dictionary<string, string?>();
        // Asking for Debug means asking for everything; otherwise the framework is never louder than Warning.
        if (level >= LogLevel.Information)
        {
            var quiet = level > LogLevel.Warning ? level : LogLevel.Warning;
            foreach (var category in QuietCategories)
                defaults[$"Logging:LogLevel:{category}"] = quiet.ToString();
        }
        // One line per entry, with the time: the console formatter's default is two lines and no time.
        defaults["Logging:Console:FormatterName"] = "simple";
        defaults["Logging:Console:FormatterOptions:SingleLine"] = "true";
        defaults["Logging:Console:FormatterOptions:TimestampFormat"] = "yyyy-MM-dd HH:mm:ss ";
        defaults["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true";
        host.AddInMemoryCollection(defaults);
    }

    public static bool LogRequests(IConfiguration configuration) => configuration[LogRequestsKey] switch
    {
        null or "" => false,
        var value when bool.TryParse(value, out var on) => on,
        var value => throw new InvalidOperationException($"The {LogRequestsKey} setting must be true or false, not '{value}'."),
    };
}

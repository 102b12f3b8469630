using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mailroom.Server.Tests.Hosting;

/// <summary>
/// Records every entry the logging filters let through, as a console would print it: the logger factory calls a
/// provider only for enabled levels, so what is recorded is what the configured levels show.
/// </summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Entries.Enqueue($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)}");
    }
}

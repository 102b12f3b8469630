using Microsoft.Extensions.Logging;

namespace Mailroom.IntegrationTests.Infrastructure;

/// <summary>
/// Every log entry of an in-process Mailroom host, at every level (Trace included) with its exception, appended to a
/// file under the test artifacts, so that the secret scan reads what Mailroom would log in production at any level.
/// </summary>
internal sealed class ArtifactLog(string path) : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly StreamWriter _writer = new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
        lock (_gate)
            _writer.Dispose();
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            try
            {
                _writer.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A background service logging after the host was disposed.
            }
        }
    }

    private sealed class Logger(ArtifactLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{DateTimeOffset.UtcNow:O} {logLevel} {category}[{eventId.Id}] {formatter(state, exception)}";
            log.Write(exception is null ? line : line + Environment.NewLine + exception);
        }
    }
}

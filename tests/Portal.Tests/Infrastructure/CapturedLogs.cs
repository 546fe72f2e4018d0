using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Portal.Tests.Infrastructure;

/// <summary>Every log line the host writes (at its configured levels), with exception text, so tests can search them.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}: {formatter(state, exception)}";
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                line += " " + string.Join(' ', values.Select(v => $"{v.Key}={v.Value}"));
            if (exception is not null) line += Environment.NewLine + exception;
            lines.Enqueue(line);
        }
    }
}

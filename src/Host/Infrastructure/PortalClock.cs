using System.Globalization;

namespace Portal.Host.Infrastructure;

/// <summary>
/// The portal's clock (<see cref="TimeProvider"/>): the system clock, always, except in the <c>Testing</c>
/// environment when <c>Portal:TestClock:OffsetFile</c> names a file. Then the clock is the system time plus the
/// number of seconds written in that file, re-read when the file changes, so a test can move the time of several
/// host processes forward together (the reliability suites make reminders and expiry checks due this way).
/// Any other environment that sets the option refuses to start: a production portal cannot be given another time.
/// </summary>
internal static class PortalClock
{
    public const string OffsetFileKey = "Portal:TestClock:OffsetFile";
    public const string TestingEnvironment = "Testing";

    public static TimeProvider For(IHostEnvironment environment, IConfiguration configuration)
    {
        var offsetFile = configuration[OffsetFileKey];
        if (string.IsNullOrWhiteSpace(offsetFile)) return TimeProvider.System;
        if (!environment.IsEnvironment(TestingEnvironment))
            throw new InvalidOperationException(
                $"{OffsetFileKey} moves the portal's clock and is honoured only in the {TestingEnvironment} environment; " +
                $"remove it from the configuration of the {environment.EnvironmentName} environment.");
        return new OffsetFileClock(offsetFile);
    }

    /// <summary>System time plus the offset (seconds, invariant culture) in a file; a missing or empty file is 0.</summary>
    internal sealed class OffsetFileClock(string path) : TimeProvider
    {
        private readonly Lock _lock = new();
        private DateTime _readAt = DateTime.MinValue;
        private DateTime _fileWrittenAt = DateTime.MinValue;
        private TimeSpan _offset;

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset();

        private TimeSpan Offset()
        {
            lock (_lock)
            {
                var now = DateTime.UtcNow;
                if (now - _readAt < TimeSpan.FromMilliseconds(100)) return _offset;
                _readAt = now;
                try
                {
                    var written = File.GetLastWriteTimeUtc(path);
                    if (written == _fileWrittenAt) return _offset;
                    var text = File.Exists(path) ? File.ReadAllText(path).Trim() : string.Empty;
                    _offset = text.Length == 0
                        ? TimeSpan.Zero
                        : TimeSpan.FromSeconds(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
                    _fileWrittenAt = written;
                }
                catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
                {
                    // Being rewritten: keep the last offset and read the file again on a later call.
                    _fileWrittenAt = DateTime.MinValue;
                }
                return _offset;
            }
        }
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Portal.Host.Infrastructure;

namespace Portal.Tests.Reliability;

/// <summary>The test clock hook of the two-host suite cannot move a production portal's time.</summary>
public sealed class PortalClockTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"portal-clock-{Guid.NewGuid():N}.txt");

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Development")]
    public void Outside_the_testing_environment_a_clock_offset_file_stops_the_portal_from_starting(string environment)
    {
        var refused = Should.Throw<InvalidOperationException>(() => PortalClock.For(Environment(environment), Settings(_file)));
        refused.Message.ShouldContain(PortalClock.OffsetFileKey);
    }

    [Fact]
    public void Without_the_setting_every_environment_runs_on_the_system_clock()
    {
        PortalClock.For(Environment("Production"), Settings(null)).ShouldBeSameAs(TimeProvider.System);
        PortalClock.For(Environment("Testing"), Settings(null)).ShouldBeSameAs(TimeProvider.System);
    }

    [Fact]
    public void In_the_testing_environment_the_clock_runs_ahead_by_the_seconds_in_the_file_and_follows_its_changes()
    {
        File.WriteAllText(_file, "86400");
        var clock = PortalClock.For(Environment("Testing"), Settings(_file));
        (clock.GetUtcNow() - DateTimeOffset.UtcNow).ShouldBeInRange(TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));

        File.WriteAllText(_file, "172800.5");
        File.SetLastWriteTimeUtc(_file, DateTime.UtcNow.AddSeconds(1));
        Thread.Sleep(150);
        (clock.GetUtcNow() - DateTimeOffset.UtcNow).ShouldBeInRange(TimeSpan.FromHours(47.9), TimeSpan.FromHours(48.1));
    }

    public void Dispose() => File.Delete(_file);

    private static HostingEnvironment Environment(string name) => new() { EnvironmentName = name };

    private static IConfiguration Settings(string? file) => new ConfigurationBuilder()
        .AddInMemoryCollection(file is null ? [] : [new KeyValuePair<string, string?>(PortalClock.OffsetFileKey, file)])
        .Build();
}

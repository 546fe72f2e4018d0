using System.Globalization;

namespace Portal.Tests.Reliability;

/// <summary>
/// Settings shared by the crash and two-host suites. In CI they run one kill cycle each; the soak mode
/// (<c>./portal soak [minutes]</c>, which sets PORTAL_SOAK_MINUTES) loops kill/restart cycles for that long.
/// </summary>
internal static class ReliabilityRun
{
    public const string SoakVariable = "PORTAL_SOAK_MINUTES";

    /// <summary>How long to keep killing and restarting; null for the bounded CI run.</summary>
    public static TimeSpan? Soak =>
        double.TryParse(Environment.GetEnvironmentVariable(SoakVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes)
        && minutes > 0
            ? TimeSpan.FromMinutes(minutes)
            : null;

    /// <summary>
    /// Production's durability, with failover timings short enough for a test: a killed node is declared dead after
    /// 6 s without a heartbeat and its unfinished messages are taken over by a live node (Wolverine's defaults: 1 min).
    /// </summary>
    public static Dictionary<string, string> FastFailover() => new()
    {
        ["Portal__Durability__StaleNodeTimeout"] = "00:00:06",
        ["Portal__Durability__HealthCheckPollingTime"] = "00:00:01",
        ["Portal__Durability__FirstHealthCheckExecution"] = "00:00:00.500",
        ["Portal__Durability__NodeReassignmentPollingTime"] = "00:00:01",
        ["Portal__Durability__ScheduledJobPollingTime"] = "00:00:01",
        ["Portal__Durability__ScheduledJobFirstExecution"] = "00:00:00.500",
        ["Portal__Durability__OrphanedMessageSweepPollingTime"] = "00:00:01",
    };

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<Task<string>> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not reached within {timeout}: {await describe()}");
            await Task.Delay(250);
        }
    }
}

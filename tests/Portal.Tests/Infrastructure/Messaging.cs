using Alba;
using Microsoft.Extensions.Hosting;
using Portal.Contracts;
using Wolverine;
using Wolverine.Tracking;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// Sending and tracking messages through a running host: do something, wait until every message it caused has been
/// handled, then read what was published. The one place tests do this, whichever host they drive.
/// </summary>
public static class Messaging
{
    /// <summary>How long a tracked action may take before the test fails: cascades through durable queues are slow on 2 cores.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs <paramref name="action"/> and waits until every message it caused has been handled. A handler's exception
    /// fails the wait only with <paramref name="failOnHandlerErrors"/>; tests of failures and retries leave it off.
    /// </summary>
    public static Task<ITrackedSession> TrackAsync(this IHost host, Func<IMessageContext, Task> action, TimeSpan? timeout = null,
        bool failOnHandlerErrors = false)
    {
        var tracking = host.TrackActivity().Timeout(timeout ?? Patience).IncludeExternalTransports();
        if (!failOnHandlerErrors) tracking = tracking.DoNotAssertOnExceptionsDetected();
        return tracking.ExecuteAndWaitAsync(action);
    }

    /// <summary>Publishes the messages as a module would and waits until everything they caused has been handled.</summary>
    public static Task<ITrackedSession> PublishAndWaitAsync(this IHost host, IEnumerable<object> messages, TimeSpan? timeout = null,
        bool failOnHandlerErrors = false) =>
        host.TrackAsync(async bus =>
        {
            foreach (var message in messages) await bus.PublishAsync(message);
        }, timeout, failOnHandlerErrors);

    /// <summary>Runs an HTTP scenario and waits until every message it caused has been handled.</summary>
    public static async Task<(ITrackedSession Tracked, IScenarioResult Result)> TrackedScenarioAsync(this IAlbaHost host,
        Action<Scenario> configure, TimeSpan? timeout = null)
    {
        IScenarioResult result = null!;
        var tracked = await host.TrackAsync(async _ => result = await host.Scenario(configure), timeout);
        return (tracked, result);
    }

    /// <summary>
    /// The messages of type T the session published, whether or not a module handles them, each once although it may
    /// go to several queues. Intake publishes the tasks a transaction opened together (<see cref="TasksRequested"/>):
    /// asked for <see cref="TaskRequested"/>, each of them.
    /// </summary>
    public static IReadOnlyList<T> Published<T>(this ITrackedSession tracked) =>
    [
        .. tracked.AllRecordsInOrder()
            .Where(r => r.MessageEventType is MessageEventType.Sent or MessageEventType.NoRoutes && r.Envelope?.Message is not null)
            .Select(r => r.Envelope!)
            .DistinctBy(e => e.Id)
            .SelectMany(e => e.Message is TasksRequested batch && typeof(T) == typeof(TaskRequested) ? batch.Tasks.Cast<object>() : [e.Message!])
            .OfType<T>()
            .Distinct(),
    ];
}

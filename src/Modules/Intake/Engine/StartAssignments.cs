using Portal.BuildingBlocks.Concurrency;
using Portal.BuildingBlocks.Time;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Roster;

namespace Portal.Intake.Engine;

/// <summary>
/// What to start: one assignment of <see cref="Content"/> per client (a definition version, a one-off request, a
/// scheduled assessment's occurrence), by whom and when.
/// </summary>
internal sealed record NewAssignments(IReadOnlyList<IntakeClient> Clients, WorkflowContent Content, Actor By, DateTimeOffset At)
{
    public Guid? DefinitionId { get; init; }

    public int? Version { get; init; }

    /// <summary>The assignment's id when the caller derives it (one client): a redelivered request then finds it started.</summary>
    public Guid? AssignmentId { get; init; }

    /// <summary>
    /// Only what the client did since then completes a task at once; by default anything within
    /// <see cref="AssignmentProcess.RecentWindow"/>.
    /// </summary>
    public DateTimeOffset? DoneSince { get; init; }

    /// <summary>The recurring assessment schedule the (one) assignment runs for.</summary>
    public Guid? ScheduleId { get; init; }

    /// <summary>The named dates each assignment starts with ("firstSession": its moment and zone).</summary>
    public IReadOnlyList<AssignmentDateSet> Dates { get; init; } = [];
    /// <summary>
    /// The practice's zone, in which conditions on "minor" decide the day (<see cref="ClientAttributes"/>). Without it
    /// the portal's default zone.
    /// </summary>
    public TimeZoneInfo? Zone { get; init; }
}

internal sealed record StartedAssignment(Guid AssignmentId, Guid ClientId);

/// <summary>Starts one assignment stream per client for the given workflow content.</summary>
internal static class StartAssignments
{
    public static async Task<IReadOnlyList<StartedAssignment>> StartAsync(IDocumentSession session, IMessageBus bus, NewAssignments order,
        CancellationToken cancellation)
    {
        if (order.AssignmentId is not null && order.Clients.Count != 1)
            throw new ArgumentException("A derived assignment id starts the assignment of one client.", nameof(order));

        var stages = await TaskPlaces.MapTasksAsync(order.Content.Stages,
            async task => task with { Title = await WorkflowSubjects.TitleForAsync(session, task, cancellation) });

        // Under the clients' activity locks (see CompleteMatchingTasks): a fact recorded at this moment is either seen
        // here (the task completes at once) or recorded after this commit and then completes the running task.
        var clientIds = order.Clients.Select(c => c.Id).ToArray();
        await EditLock.LockManyAsync<ClientActivity>(session, clientIds, cancellation);
        var activities = (await session.LoadManyAsync<ClientActivity>(cancellation, clientIds)).ToDictionary(a => a.Id);
        var started = new List<StartedAssignment>(order.Clients.Count);
        var processes = new List<AssignmentProcess>(order.Clients.Count);
        foreach (var client in order.Clients)
        {
            var id = order.AssignmentId ?? Guid.CreateVersion7();
            var activity = activities.GetValueOrDefault(client.Id);
            if (order.DoneSince is { } since) activity = activity?.Since(since);
            var process = AssignmentProcess.Start(
                new AssignmentStarted(
                    id, client.Id, client.ProviderId, order.DefinitionId, order.Version, order.Content.Name, stages, order.By, order.At)
                {
                    ScheduleId = order.ScheduleId,
                },
                activity, ClientAttributes.Of(client, order.Zone ?? PortalTime.DefaultZone), order.Dates);
            session.Events.StartStream<IntakeAssignment>(id, process.Events.ToArray());
            processes.Add(process);
            started.Add(new StartedAssignment(id, client.Id));
        }

        // Every client's first tasks in one TasksRequested message (per 500 tasks), committed with the streams.
        await processes.SendAsync(bus);

        return started;
    }
}

using Marten;
using Portal.BuildingBlocks.Concurrency;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Roster;
using Wolverine;

namespace Portal.Intake.Engine;

/// <summary>Starts one assignment stream per client for the given workflow content (a definition version or a one-off request).</summary>
internal static class StartAssignments
{
    public static async Task<IReadOnlyList<(Guid AssignmentId, Guid ClientId)>> StartAsync(
        IDocumentSession session, IMessageBus bus, IReadOnlyList<IntakeClient> clients, WorkflowContent content,
        Guid? definitionId, int? version, Actor by, DateTimeOffset now, CancellationToken cancellation)
    {
        var stages = new List<StageSpec>();
        foreach (var stage in content.Stages)
        {
            var tasks = new List<TaskSpec>();
            foreach (var task in stage.Tasks)
                tasks.Add(task with { Title = await WorkflowSubjects.TitleForAsync(session, task, cancellation) });
            stages.Add(stage with { Tasks = tasks });
        }

        // Under the clients' activity locks (see CompleteMatchingTasks): a fact recorded at this moment is either seen
        // here (the task completes at once) or recorded after this commit and then completes the running task.
        await EditLock.LockManyAsync<ClientActivity>(session, clients.Select(c => c.Id), cancellation);
        var activities = (await session.LoadManyAsync<ClientActivity>(cancellation, clients.Select(c => c.Id).ToArray()))
            .ToDictionary(a => a.Id);
        var started = new List<(Guid, Guid)>();
        var processes = new List<AssignmentProcess>(clients.Count);
        foreach (var client in clients)
        {
            var id = Guid.CreateVersion7();
            var process = AssignmentProcess.Start(
                new AssignmentStarted(id, client.Id, client.ProviderId, definitionId, version, content.Name, stages, by, now),
                activities.GetValueOrDefault(client.Id));
            session.Events.StartStream<IntakeAssignment>(id, process.Events.ToArray());
            processes.Add(process);
            started.Add((id, client.Id));
        }

        // Every client's first tasks in one TasksRequested message (per 500 tasks), committed with the streams.
        await processes.SendAsync(bus);

        return started;
    }
}

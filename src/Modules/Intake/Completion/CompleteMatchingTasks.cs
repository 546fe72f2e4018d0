using Portal.BuildingBlocks.Concurrency;
using Portal.BuildingBlocks.Web;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Intake.Roster;

namespace Portal.Intake.Completion;

/// <summary>
/// What every "the client did something" message does here: remember it on the client's activity (so a task
/// requested soon after completes at once), then complete the matching open tasks of the client's running
/// assignments and move each one on. The client's activity is edited under a lock on the client id (as are the
/// starts and skips that read it): two facts about one client handled at once are both kept, never one overwriting
/// the other.
/// </summary>
internal static class CompleteMatchingTasks
{
    public static async Task ApplyAsync(Guid clientId, ClientFact fact, IDocumentSession session, IMessageBus bus,
        TimeProvider clock, IPracticeLooks looks, CancellationToken cancellation)
    {
        // The lock, the activity and the running assignments in one round trip (this runs for every task a client completes).
        var batch = await EditLock.LockedBatchAsync<ClientActivity>(session, clientId, cancellation);
        var activityLoad = batch.Load<ClientActivity>(clientId);
        var runningQuery = batch.Query<IntakeAssignment>()
            .Where(a => a.ClientId == clientId && a.Status == AssignmentStatus.Running)
            .ToList();
        var clientLoad = batch.Load<IntakeClient>(clientId);
        await batch.Execute(cancellation);
        var client = await clientLoad;
        ClientAttributes? attributes = null;
        var activity = await activityLoad ?? new ClientActivity { Id = clientId };
        activity.Record(fact);
        session.Store(activity);

        var now = clock.GetUtcNow();
        foreach (var running in await runningQuery)
        {
            // The practice's zone (cached by the practice module) only once an assignment may move: most facts move none.
            if (attributes is null && client is not null)
                attributes = ClientAttributes.Of(client, await ClientAttributes.ZoneAsync(looks, client.PracticeId, cancellation));
            // Most facts complete nothing (the task was done before, or never asked): decided on the state just read
            // (a copy no one else holds), so only an assignment that moves is fetched for writing, at its version.
            if (!new AssignmentProcess(running, now, attributes).CompleteMatching(fact, activity)) continue;
            var stream = await session.Events.FetchForWriting<IntakeAssignment>(running.Id, cancellation);
            if (stream.Aggregate is null) continue;
            var process = AssignmentProcess.Continue(stream.Aggregate, now, attributes);
            if (!process.CompleteMatching(fact, activity)) continue;
            stream.AppendMany(process.Events);
            await process.SendAsync(bus);
        }
    }
}

using System.Text.Json;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Intake.Timers;
using Portal.Notifications.Delivery;
using Wolverine;
using Wolverine.Tracking;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

/// <summary>
/// One workflow assigned to hundreds of clients in one request: every client gets exactly their first-stage tasks,
/// their timers, and one invitation email, although Invitations handles the task requests in batches and
/// Notifications reuses SMTP connections.
/// </summary>
public sealed class BulkAssignmentTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    private const int Clients = 300;

    [Fact]
    public async Task Assigning_a_workflow_to_300_clients_at_once_requests_each_their_first_tasks_once_and_invites_each_once()
    {
        var provider = await Kit.NewProviderAsync();
        var clients = await AnnounceClientsAsync(provider, Clients);
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Annual review",
        [
            new StageSpec("Before the session",
            [
                Task("insurance", TaskKind.AddInsurance, dueInDays: 5, remindEveryDays: 2, maxReminders: 2),
                Task("phq9", TaskKind.CompleteAssessment, "phq9", dueInDays: 5),
            ]),
            new StageSpec("Payment", [Task("autopay", TaskKind.EnrollInAutopay)]),
        ]));
        await PublishAsync(provider, workflowId);
        var sessionsBefore = Mail.Sessions;
        var assignedAt = Clock.GetUtcNow();

        var (assigned, result) = await TrackedScenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { clientIds = clients.Select(c => c.ClientId).ToArray() }, $"/api/workflows/{workflowId}/assignments");
            s.StatusCodeShouldBeOk();
        }, TimeSpan.FromSeconds(120));
        var assignmentIds = (await IntakeTestKit.ReadJsonAsync(result)).GetProperty("assignments").EnumerateArray()
            .Select(a => a.GetProperty("assignmentId").GetGuid()).ToArray();

        assignmentIds.Length.ShouldBe(Clients);
        var requested = assigned.Published<TaskRequested>();
        requested.Count.ShouldBe(2 * Clients);
        requested.Select(r => r.TaskId).Distinct().Count().ShouldBe(2 * Clients);
        foreach (var group in requested.GroupBy(r => r.ClientId))
        {
            group.Select(r => r.Kind).Order().ToArray().ShouldBe([TaskKind.AddInsurance, TaskKind.CompleteAssessment], $"client {group.Key}");
            group.Select(r => r.AssignmentId).Distinct().ShouldHaveSingleItem();
        }
        requested.Select(r => r.ClientId).Distinct().Order().ToArray().ShouldBe(clients.Select(c => c.ClientId).Order().ToArray());

        // The streams: one assignment per client, each at its first stage with its two tasks requested.
        await using (var session = OpenSession())
        {
            var assignments = await session.Query<IntakeAssignment>().Where(a => a.DefinitionId == workflowId).ToListAsync();
            assignments.Count.ShouldBe(Clients);
            assignments.Select(a => a.ClientId).Distinct().Count().ShouldBe(Clients);
            assignments.ShouldAllBe(a => a.CurrentStage == 0 && a.Tasks.Count == 2 && a.Status == AssignmentStatus.Running);
        }
        Names(await Kit.EventsAsync(assignmentIds[Clients / 2])).ShouldBe(
            [nameof(AssignmentStarted), nameof(AssignmentStageStarted), nameof(AssignmentTaskRequested), nameof(AssignmentTaskRequested)]);

        // The timers: a reminder for the insurance task and an overdue mark for each task, per client, durable. They fall
        // due at two moments, so they are armed as three scheduled messages (at most 500 timers each), not 900.
        var ours = assignmentIds.ToHashSet();
        var armed = (await ScheduledAsync<TimersDue>()).Where(t => t.Reminders.Concat<object>(t.Overdue).Any(
            timer => ours.Contains(timer is SendTaskReminder r ? r.AssignmentId : ((MarkTaskOverdue)timer).AssignmentId))).ToList();
        armed.Count.ShouldBe(3);
        (await ScheduledAsync<SendTaskReminder>()).Where(r => ours.Contains(r.AssignmentId)).ShouldBeEmpty();
        (await ScheduledAsync<MarkTaskOverdue>()).Where(o => ours.Contains(o.AssignmentId)).ShouldBeEmpty();
        var reminders = armed.SelectMany(t => t.Reminders).ToList();
        reminders.ShouldAllBe(r => r.At == assignedAt.AddDays(2) && r.Number == 1);
        reminders.Select(r => r.TaskId).Distinct().Count().ShouldBe(Clients);
        reminders.Count.ShouldBe(Clients);
        reminders.Select(r => r.TaskId).ShouldBe(requested.Where(r => r.Kind == TaskKind.AddInsurance).Select(r => r.TaskId), ignoreOrder: true);
        var overdue = armed.SelectMany(t => t.Overdue).ToList();
        overdue.ShouldAllBe(o => o.DueAt == assignedAt.AddDays(5));
        overdue.Select(o => o.TaskId).Distinct().Count().ShouldBe(2 * Clients);
        overdue.Count.ShouldBe(2 * Clients);
        armed.ShouldAllBe(t => t.Reminders.Count + t.Overdue.Count <= TimersDue.MaxTimers);

        // Published together: the first tasks of all 300 clients are two TasksRequested messages (500 tasks at most each).
        assigned.Published<TasksRequested>().Count.ShouldBe(2);

        // One invitation per client, over a few kept-open SMTP connections; each logged once as sent.
        var invitations = assigned.Published<InvitationEmailRequested>();
        invitations.Select(i => i.ClientId).Order().ToArray().ShouldBe(clients.Select(c => c.ClientId).Order().ToArray());
        var mails = Mail.Messages;
        mails.Count.ShouldBe(Clients);
        mails.Select(m => m.To.Mailboxes.Single().Address).Distinct(StringComparer.OrdinalIgnoreCase).Count().ShouldBe(Clients);
        mails.Select(m => m.MessageId).Distinct().Count().ShouldBe(Clients);
        (Mail.Sessions - sessionsBefore).ShouldBeLessThanOrEqualTo(Clients / 10, "emails share SMTP connections");
        await using (var session = OpenSession())
        {
            var log = await session.Query<DeliveryRecord>().Where(d => d.Template == "invitation").ToListAsync();
            log.Count.ShouldBe(Clients);
            log.ShouldAllBe(d => d.Status == DeliveryStatus.Sent && d.Attempts == 1);
        }

        // Handled again (a retry, a crash replay): nobody is invited twice.
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).IncludeExternalTransports()
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async bus =>
            {
                foreach (var task in requested) await bus.PublishAsync(new TasksRequested(Guid.NewGuid(), [task]));
            }));
        Mail.Messages.Count.ShouldBe(Clients);
        await using (var session = OpenSession())
            (await session.Query<Portal.Invitations.Invites.Invitation>().CountAsync()).ShouldBe(Clients);
    }

    [Fact]
    public async Task Two_task_requests_of_one_client_handled_at_the_same_time_send_one_invitation()
    {
        var provider = await Kit.NewProviderAsync();
        var clients = await AnnounceClientsAsync(provider, 40);
        var now = Clock.GetUtcNow();

        // Each client's two requests published apart, as two assignments' messages would arrive.
        var tasks = clients.SelectMany(c => new[]
        {
            new TaskRequested(Guid.NewGuid(), Guid.NewGuid(), c.ClientId, provider.ProviderId, TaskKind.AddInsurance,
                "Add your insurance", null, now, null),
            new TaskRequested(Guid.NewGuid(), Guid.NewGuid(), c.ClientId, provider.ProviderId, TaskKind.EnrollInAutopay,
                "Set up autopay", null, now, null),
        }).OrderBy(t => t.Kind).ToList();
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).IncludeExternalTransports()
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async bus =>
            {
                await Parallel.ForEachAsync(tasks, async (task, _) => await bus.PublishAsync(new TasksRequested(Guid.NewGuid(), [task])));
            }));

        Mail.Messages.Count.ShouldBe(40);
        Mail.Messages.Select(m => m.To.Mailboxes.Single().Address).Distinct(StringComparer.OrdinalIgnoreCase).Count().ShouldBe(40);
    }

    [Fact]
    public async Task Bulk_assignments_sent_at_the_same_time_take_turns_and_each_one_is_carried_out()
    {
        // The host takes bulk assignments one at a time and queues the rest (each one holds hundreds of streams,
        // documents and messages in memory until it commits), so a provider never sees a refusal for sending several.
        var endpoint = Host.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Single(e => e.RoutePattern.RawText == "/api/workflows/{id}/assignments"
                && e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()!.HttpMethods.Contains("POST"));
        endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>()!.PolicyName
            .ShouldBe(Portal.Intake.IntakeModule.BulkAssignmentPolicy);

        var provider = await Kit.NewProviderAsync();
        var clients = await AnnounceClientsAsync(provider, 180);
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Check-in",
            [new StageSpec("Before the session", [Task("phq9", TaskKind.CompleteAssessment, "phq9", dueInDays: 5)])]));
        await PublishAsync(provider, workflowId);

        var statuses = new System.Collections.Concurrent.ConcurrentBag<int>();
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(120)).IncludeExternalTransports()
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ =>
            {
                await System.Threading.Tasks.Task.WhenAll(clients.Chunk(30).Select(batch => Host.Scenario(s =>
                {
                    s.SignedIn(Kit.ProviderCookie(provider));
                    s.PostJsonTo(new { clientIds = batch.Select(c => c.ClientId).ToArray() }, $"/api/workflows/{workflowId}/assignments");
                    s.IgnoreStatusCode();
                }).ContinueWith(t => statuses.Add(t.Result.Context.Response.StatusCode))));
            }));

        statuses.Count.ShouldBe(6);
        statuses.ShouldAllBe(status => status == 200);
        await using var session = OpenSession();
        var assignments = await session.Query<IntakeAssignment>().Where(a => a.DefinitionId == workflowId).ToListAsync();
        assignments.Select(a => a.ClientId).Order().ToArray().ShouldBe(clients.Select(c => c.ClientId).Order().ToArray());
        Mail.Messages.Count.ShouldBe(180);
    }

    private async Task<IReadOnlyList<ClientRosterChanged>> AnnounceClientsAsync(ProviderActor provider, int count)
    {
        var clients = Enumerable.Range(0, count).Select(i => new ClientRosterChanged(Guid.NewGuid(), provider.ProviderId, provider.PracticeId,
            provider.PracticeName, "Client", $"Number {i:D3}", $"bulk-{i:D3}-{Guid.NewGuid():N}@portal.test", new DateOnly(1980, 1, 1).AddDays(i),
            true, false, 1)).ToList();
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(120)).IncludeExternalTransports()
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async bus =>
            {
                foreach (var client in clients) await bus.PublishAsync(client);
            }));
        return clients;
    }

    /// <summary>The durable timers of one type waiting in Wolverine's inbox (bodies are JSON).</summary>
    private async Task<IReadOnlyList<T>> ScheduledAsync<T>()
    {
        await using var session = OpenSession();
        var bodies = await session.QueryAsync<byte[]>(
            "select body from wolverine.wolverine_incoming_envelopes where status = 'Scheduled' and message_type = ?", typeof(T).FullName!);
        return [.. bodies.Select(Wolverine.Runtime.Serialization.EnvelopeSerializer.Deserialize)
            .Select(e => JsonSerializer.Deserialize<T>(e.Data!, IntakeTestKit.Json)!)];
    }
}

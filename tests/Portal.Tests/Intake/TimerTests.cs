using Alba;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Wolverine.Tracking;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

public sealed class TimerTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    private async Task<(ProviderActor Provider, Guid Client, ITrackedSession Tracked, Guid AssignmentId)> RequestInsuranceAsync()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var (tracked, result) = await TrackedScenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { kind = "AddInsurance", dueInDays = 7, remindEveryDays = 3, maxReminders = 2 }, $"/api/clients/{client}/requests");
            s.StatusCodeShouldBe(201);
        });
        return (provider, client, tracked, (await IntakeTestKit.ReadJsonAsync(result)).GetProperty("assignmentId").GetGuid());
    }

    [Fact]
    public async Task Reminders_come_every_N_days_up_to_the_maximum_and_the_task_turns_overdue_on_its_due_date()
    {
        var (_, client, requested, assignmentId) = await RequestInsuranceAsync();
        var dueAt = requested.Published<TaskRequested>().Single().DueAt!.Value;

        Clock.Advance(TimeSpan.FromDays(3));
        var dayThree = await requested.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        var first = dayThree.Published<TaskReminderDue>().ShouldHaveSingleItem();
        first.ReminderNumber.ShouldBe(1);
        first.ClientId.ShouldBe(client);
        first.TaskTitle.ShouldBe("Add your insurance");
        first.DueAt.ShouldBe(dueAt);
        (await Kit.EventsAsync(assignmentId)).OfType<AssignmentTaskOverdue>().ShouldBeEmpty("the due date has not come on day 3");

        Clock.Advance(TimeSpan.FromDays(4));
        var daySeven = await dayThree.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        daySeven.Published<TaskReminderDue>().ShouldHaveSingleItem().ReminderNumber.ShouldBe(2);

        var events = await Kit.EventsAsync(assignmentId);
        events.OfType<AssignmentReminderSent>().Select(r => r.Number).ShouldBe([1, 2]);
        events.OfType<AssignmentTaskOverdue>().ShouldHaveSingleItem().DueAt.ShouldBe(dueAt);
        Names(events).Take(4).ShouldBe(
        [
            nameof(AssignmentStarted), nameof(AssignmentStageStarted), nameof(AssignmentTaskRequested), nameof(AssignmentReminderSent),
        ]);
        // Day 7 fires the second reminder and the due date together, in either order.
        Names(events).Skip(4).ShouldBe([nameof(AssignmentReminderSent), nameof(AssignmentTaskOverdue)], ignoreOrder: true);

        // Every timer delivered a second time changes nothing and sends nothing.
        Clock.Advance(TimeSpan.FromDays(10));
        var again = await requested.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        again.Published<TaskReminderDue>().ShouldBeEmpty();
        var replayed = await dayThree.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        replayed.Published<TaskReminderDue>().ShouldBeEmpty();
        (await Kit.EventsAsync(assignmentId)).Count.ShouldBe(events.Count);
    }

    [Fact]
    public async Task A_reminder_for_a_task_already_done_sends_nothing()
    {
        var (provider, client, requested, assignmentId) = await RequestInsuranceAsync();
        await Kit.PublishAsync(new InsuranceChanged(Guid.NewGuid(), client, provider.ProviderId, InsuranceChange.Added, PlanRank.Primary,
            new Actor(ActorKind.Client, client, "Ana"), Clock.GetUtcNow()));
        var before = await Kit.EventsAsync(assignmentId);
        before.OfType<AssignmentFinished>().ShouldHaveSingleItem();

        Clock.Advance(TimeSpan.FromDays(8));
        var fired = await requested.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));

        fired.Published<TaskReminderDue>().ShouldBeEmpty();
        var after = await Kit.EventsAsync(assignmentId);
        after.Count.ShouldBe(before.Count);
        after.OfType<AssignmentReminderSent>().ShouldBeEmpty();
        after.OfType<AssignmentTaskOverdue>().ShouldBeEmpty();
    }

    [Fact]
    public async Task Cancelling_an_assignment_silences_its_timers()
    {
        var (provider, _, requested, assignmentId) = await RequestInsuranceAsync();
        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { reason = "Client moved away" }, $"/api/assignments/{assignmentId}/cancel");
            s.StatusCodeShouldBeOk();
        });

        Clock.Advance(TimeSpan.FromDays(8));
        var fired = await requested.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));

        fired.Published<TaskReminderDue>().ShouldBeEmpty();
        Names(await Kit.EventsAsync(assignmentId)).Last().ShouldBe(nameof(AssignmentCancelled));
    }
    [Fact]
    public async Task Timers_armed_together_for_many_clients_fire_for_every_client_whose_task_is_still_open()
    {
        var provider = await Kit.NewProviderAsync();
        var clients = new[] { await Kit.NewClientAsync(provider), await Kit.NewClientAsync(provider), await Kit.NewClientAsync(provider) };
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Annual review",
        [
            new StageSpec("Before the session",
            [
                Task("insurance", TaskKind.AddInsurance, dueInDays: 5, remindEveryDays: 2, maxReminders: 1),
                Task("phq9", TaskKind.CompleteAssessment, "phq9", dueInDays: 5),
            ]),
        ]));
        await PublishAsync(provider, workflowId);
        var (assigned, assignmentIds) = await AssignAsync(provider, workflowId, clients);
        // Two moments (the reminders, the due date), each one message for the three clients.
        assigned.Sent.MessagesOf<Portal.Intake.Timers.TimersDue>().Count().ShouldBe(2);

        // The first client adds insurance before anything falls due: nothing reminds them of it, nor marks it overdue.
        await Kit.PublishAsync(new InsuranceChanged(Guid.NewGuid(), clients[0], provider.ProviderId, InsuranceChange.Added, PlanRank.Primary,
            new Actor(ActorKind.Client, clients[0], "Ana"), Clock.GetUtcNow()));

        Clock.Advance(TimeSpan.FromDays(2));
        var dayTwo = await assigned.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        dayTwo.Published<TaskReminderDue>().Select(r => r.ClientId).ShouldBe([clients[1], clients[2]], ignoreOrder: true);
        foreach (var id in assignmentIds) (await Kit.EventsAsync(id)).OfType<AssignmentTaskOverdue>().ShouldBeEmpty("not due on day 2");

        Clock.Advance(TimeSpan.FromDays(3));
        var dayFive = await assigned.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        dayFive.Published<TaskReminderDue>().ShouldBeEmpty("one reminder at most, sent on day 2");
        var overdue = new List<string>();
        foreach (var id in assignmentIds)
        {
            var events = await Kit.EventsAsync(id);
            var keys = events.OfType<AssignmentTaskRequested>().ToDictionary(r => r.TaskId, r => r.Key);
            overdue.AddRange(events.OfType<AssignmentTaskOverdue>()
                .Select(o => $"{events.OfType<AssignmentStarted>().Single().ClientId}:{keys[o.TaskId]}"));
        }
        overdue.ShouldBe([$"{clients[0]}:phq9", $"{clients[1]}:insurance", $"{clients[1]}:phq9", $"{clients[2]}:insurance", $"{clients[2]}:phq9"],
            ignoreOrder: true);
    }
}

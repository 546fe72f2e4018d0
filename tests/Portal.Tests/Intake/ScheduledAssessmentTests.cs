using Alba;
using Marten;
using Portal.Contracts;
using Portal.Intake.Engine;
using Portal.Intake.Timers;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

/// <summary>
/// A recurring assessment the provider schedules (Forms publishes <see cref="AssessmentRequested"/>) becomes a task of
/// the client's, opened once per occurrence and completed by the answer.
/// </summary>
public sealed class ScheduledAssessmentTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    [Fact]
    public async Task A_schedule_opens_an_assessment_task_the_client_sees_and_answering_the_PHQ9_completes_it()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);

        var (scheduled, _) = await TrackedScenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { instrument = "phq9", everyWeeks = 2 }).ToUrl($"/api/clients/{client.ClientId}/assessment-schedules");
            s.StatusCodeShouldBe(201);
        });
        var requested = scheduled.Published<TaskRequested>().ShouldHaveSingleItem();
        (requested.ClientId, requested.Kind, requested.SubjectId).ShouldBe((client.ClientId, TaskKind.CompleteAssessment, "phq9"));
        requested.Title.ShouldBe(scheduled.Published<AssessmentRequested>().ShouldHaveSingleItem().Title);
        requested.DueAt.ShouldBe(Clock.GetUtcNow().AddDays(14));

        var open = (await Host.GetAsJson<MyTasksBody>("/api/my/tasks", client)).Open.ShouldHaveSingleItem();
        (open.TaskId, open.Link).ShouldBe((requested.TaskId, "/portal/assessments/phq9"));
        (await CaseloadRowAsync(provider, client.ClientId)).OpenTasks.ShouldBe(1);

        var (answered, _) = await TrackedScenario(s =>
        {
            s.As(client);
            s.Post.Json(new { answers = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 0 } }).ToUrl("/api/portal/assessments/phq9");
            s.StatusCodeShouldBe(201);
        });
        answered.Published<TaskClosed>().ShouldHaveSingleItem().TaskId.ShouldBe(requested.TaskId);
        // The schedule repeats until discharge: the assignment runs on, its next occurrence planned two weeks after the first.
        answered.Published<AssignmentCompleted>().ShouldBeEmpty();
        answered.Scheduled.MessagesOf<OpenScheduledTask>().ShouldHaveSingleItem().OpensAt.ShouldBe(requested.RequestedAt.AddDays(14));
        (await Host.GetAsJson<MyTasksBody>("/api/my/tasks", client)).Open.ShouldBeEmpty();
        var row = await CaseloadRowAsync(provider, client.ClientId);
        (row.OpenTasks, row.CompletedTasks).ShouldBe((0, 1));

        // Stopping the schedule cancels its assignment: the planned occurrence never opens.
        var scheduleId = scheduled.Published<AssessmentRequested>().Single().ScheduleId;
        await TrackedScenario(s =>
        {
            s.As(provider);
            s.Delete.Url($"/api/clients/{client.ClientId}/assessment-schedules/{scheduleId}");
            s.StatusCodeShouldBe(204);
        });
        (await AssignmentsOfAsync(client.ClientId)).ShouldHaveSingleItem().Status.ShouldBe(AssignmentStatus.Cancelled);
        Clock.Advance(TimeSpan.FromDays(15));
        (await answered.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30))).Published<TaskRequested>().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_redelivered_schedule_opens_no_second_task_and_the_engine_opens_the_next_occurrence_in_the_same_assignment()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var scheduleId = Guid.NewGuid();
        var first = new AssessmentRequested(Guid.NewGuid(), scheduleId, client, provider.ProviderId, "gad7", "Complete the GAD-7", 1, 1,
            Clock.GetUtcNow());

        (await Kit.PublishAsync(first)).Published<TaskRequested>().ShouldHaveSingleItem().SubjectId.ShouldBe("gad7");
        (await Kit.PublishAsync(first)).Published<TaskRequested>().ShouldBeEmpty();
        (await AssignmentsOfAsync(client)).Count.ShouldBe(1);

        // A schedule's timer armed before the engine repeated tasks (a later occurrence) finds the same assignment.
        var legacy = first with { EventId = Guid.NewGuid(), Occurrence = 2, At = Clock.GetUtcNow() };
        (await Kit.PublishAsync(legacy)).Published<TaskRequested>().ShouldBeEmpty();

        var answered = await Kit.PublishAsync(new AssessmentCompleted(Guid.NewGuid(), client, provider.ProviderId, "gad7", Guid.NewGuid(), 3,
            "minimal", false, new Actor(ActorKind.Client, client, "Ana"), Clock.GetUtcNow()));
        Clock.Advance(TimeSpan.FromDays(7));
        var second = (await answered.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30))).Published<TaskRequested>().ShouldHaveSingleItem();
        (second.Kind, second.SubjectId).ShouldBe((TaskKind.CompleteAssessment, "gad7"));
        (await AssignmentsOfAsync(client)).ShouldHaveSingleItem().Status.ShouldBe(AssignmentStatus.Running);
    }

    [Fact]
    public async Task An_answer_given_before_the_occurrence_was_requested_does_not_complete_it()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        await Kit.PublishAsync(new AssessmentCompleted(Guid.NewGuid(), client, provider.ProviderId, "phq9", Guid.NewGuid(), 3, "minimal", false,
            new Actor(ActorKind.Client, client, "Ana"), Clock.GetUtcNow()));
        Clock.Advance(TimeSpan.FromDays(1));

        var tracked = await Kit.PublishAsync(new AssessmentRequested(Guid.NewGuid(), Guid.NewGuid(), client, provider.ProviderId, "phq9",
            "Complete the PHQ-9", 2, 1, Clock.GetUtcNow()));

        tracked.Published<TaskRequested>().ShouldHaveSingleItem();
        (await AssignmentsOfAsync(client)).ShouldHaveSingleItem().Status.ShouldBe(AssignmentStatus.Running);
    }

    [Fact]
    public async Task A_stop_that_arrives_before_its_schedule_still_stops_it_the_late_request_starts_nothing()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var scheduleId = Guid.NewGuid();

        // Messages can arrive out of order: the stop first, then the request that would start the schedule's assignment.
        await Kit.PublishAsync(new AssessmentScheduleStopped(Guid.NewGuid(), scheduleId, client, Clock.GetUtcNow()));
        var late = await Kit.PublishAsync(new AssessmentRequested(Guid.NewGuid(), scheduleId, client, provider.ProviderId, "phq9",
            "Complete the PHQ-9", 1, 2, Clock.GetUtcNow()));

        late.Published<TaskRequested>().ShouldBeEmpty();
        (await AssignmentsOfAsync(client)).ShouldBeEmpty();

        // Only that schedule: another one of the same client starts as usual.
        var other = await Kit.PublishAsync(new AssessmentRequested(Guid.NewGuid(), Guid.NewGuid(), client, provider.ProviderId, "gad7",
            "Complete the GAD-7", 1, 2, Clock.GetUtcNow()));
        other.Published<TaskRequested>().ShouldHaveSingleItem().SubjectId.ShouldBe("gad7");
    }

    [Fact]
    public async Task The_providers_schedule_view_shows_the_occurrence_that_opened_and_its_next_due_date()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var (scheduled, _) = await TrackedScenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { instrument = "phq9", everyWeeks = 2 }).ToUrl($"/api/clients/{client.ClientId}/assessment-schedules");
            s.StatusCodeShouldBe(201);
        });
        var first = scheduled.Published<TaskRequested>().ShouldHaveSingleItem();
        var view = await ScheduleViewAsync(provider, client.ClientId);
        (view.Occurrence, view.NextDueAt).ShouldBe((1, first.RequestedAt.AddDays(14)));

        // Answered; two weeks after the first opened, the engine opens occurrence 2.
        var (answered, _) = await TrackedScenario(s =>
        {
            s.As(client);
            s.Post.Json(new { answers = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 0 } }).ToUrl("/api/portal/assessments/phq9");
            s.StatusCodeShouldBe(201);
        });
        (await ScheduleViewAsync(provider, client.ClientId)).Occurrence.ShouldBe(1, "answering opens nothing yet");
        Clock.Advance(TimeSpan.FromDays(14));
        var second = (await answered.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30))).Published<TaskRequested>().ShouldHaveSingleItem();

        view = await ScheduleViewAsync(await Host.SignInAgainAsync(provider), client.ClientId);
        view.Occurrence.ShouldBe(2);
        view.LastRequestedAt.ShouldBe(second.RequestedAt);
        view.NextDueAt.ShouldBe(second.RequestedAt.AddDays(14));
        view.NextDueAt.ShouldBe(second.DueAt!.Value);
    }

    private async Task<ScheduleViewBody> ScheduleViewAsync(ProviderActor provider, Guid clientId) =>
        (await Host.GetAsJson<AssessmentsBody>($"/api/clients/{clientId}/assessments", provider)).Schedules.ShouldHaveSingleItem();

    private sealed record AssessmentsBody(List<ScheduleViewBody> Schedules);

    private sealed record ScheduleViewBody(Guid Id, int Occurrence, DateTimeOffset? LastRequestedAt, DateTimeOffset NextDueAt);

    private async Task<IReadOnlyList<IntakeAssignment>> AssignmentsOfAsync(Guid clientId)
    {
        await using var session = OpenSession();
        return await session.Query<IntakeAssignment>().Where(a => a.ClientId == clientId).ToListAsync();
    }

    private async Task<CaseloadRow> CaseloadRowAsync(ProviderActor provider, Guid clientId) =>
        (await Host.GetAsJson<CaseloadBody>("/api/console/caseload", provider)).Clients.Single(c => c.ClientId == clientId);

    private sealed record MyTasksBody(List<MyTaskBody> Open);

    private sealed record MyTaskBody(Guid TaskId, string Link);

    private sealed record CaseloadBody(List<CaseloadRow> Clients);

    private sealed record CaseloadRow(Guid ClientId, int OpenTasks, int CompletedTasks);
}

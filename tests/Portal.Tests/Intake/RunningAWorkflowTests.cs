using Alba;
using Marten;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Wolverine.Tracking;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

public sealed class RunningAWorkflowTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    [Fact]
    public async Task A_three_stage_workflow_runs_from_assignment_to_completion_as_the_client_does_each_task()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var policy = await Kit.PublishedDocumentAsync(provider, "Practice policies");
        var form = await Kit.PublishedFormAsync(provider, "History", "reason");
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("New client intake",
        [
            new StageSpec("Paperwork", [Task("policies", TaskKind.SignDocument, policy.ToString()), Task("insurance", TaskKind.AddInsurance)]),
            new StageSpec("About you",
                [Task("history", TaskKind.CompleteIntakeForm, form.ToString()), Task("phq9", TaskKind.CompleteAssessment, "phq9")]),
            new StageSpec("Billing", [Task("autopay", TaskKind.EnrollInAutopay)]),
        ]));
        await PublishAsync(provider, workflowId);

        var (assigned, ids) = await AssignAsync(provider, workflowId, client);
        var assignmentId = ids.ShouldHaveSingleItem();
        var requested = assigned.Published<TaskRequested>();
        requested.Select(r => r.Kind).ShouldBe([TaskKind.SignDocument, TaskKind.AddInsurance]);
        requested.ShouldAllBe(r => r.ClientId == client && r.ProviderId == provider.ProviderId && r.AssignmentId == assignmentId);
        requested[0].Title.ShouldBe("Sign: Practice policies");

        var now = Clock.GetUtcNow();
        var actor = new Actor(ActorKind.Client, client, "Ana Client");
        await Kit.PublishAsync(new ConsentFormSigned(Guid.NewGuid(), client, provider.ProviderId, policy, 1, "Practice policies", actor, now));
        (await Kit.EventsAsync(assignmentId)).OfType<AssignmentStageStarted>().Count().ShouldBe(1, "stage 2 waits for the insurance");
        var stageTwo = await Kit.PublishAsync(new InsuranceChanged(Guid.NewGuid(), client, provider.ProviderId, InsuranceChange.Added,
            PlanRank.Primary, actor, now));
        stageTwo.Published<TaskRequested>().Select(r => r.Kind).ShouldBe([TaskKind.CompleteIntakeForm, TaskKind.CompleteAssessment]);

        await Kit.PublishAsync(new IntakeFormCompleted(Guid.NewGuid(), client, provider.ProviderId, form, 1, "History", actor, now));
        var stageThree = await Kit.PublishAsync(new AssessmentCompleted(Guid.NewGuid(), client, provider.ProviderId, "phq9",
            Guid.NewGuid(), 4, "minimal", false, actor, now));
        stageThree.Published<TaskRequested>().ShouldHaveSingleItem().Kind.ShouldBe(TaskKind.EnrollInAutopay);

        var finished = await Kit.PublishAsync(new AutopayChanged(Guid.NewGuid(), client, provider.ProviderId, AutopayChange.Enrolled,
            actor, now, null));
        var completed = finished.Published<AssignmentCompleted>().ShouldHaveSingleItem();
        completed.AssignmentId.ShouldBe(assignmentId);
        completed.WorkflowName.ShouldBe("New client intake");
        completed.ProviderId.ShouldBe(provider.ProviderId);

        var events = await Kit.EventsAsync(assignmentId);
        Names(events).ShouldBe(
        [
            nameof(AssignmentStarted),
            nameof(AssignmentStageStarted), nameof(AssignmentTaskRequested), nameof(AssignmentTaskRequested),
            nameof(AssignmentTaskCompleted), nameof(AssignmentTaskCompleted),
            nameof(AssignmentStageStarted), nameof(AssignmentTaskRequested), nameof(AssignmentTaskRequested),
            nameof(AssignmentTaskCompleted), nameof(AssignmentTaskCompleted),
            nameof(AssignmentStageStarted), nameof(AssignmentTaskRequested),
            nameof(AssignmentTaskCompleted),
            nameof(AssignmentFinished),
        ]);
        events.OfType<AssignmentStageStarted>().Select(s => s.Name).ShouldBe(["Paperwork", "About you", "Billing"]);
        events.OfType<AssignmentTaskCompleted>().Select(c => c.Source)
            .ShouldBe(["document.signed", "insurance.added", "form.completed", "assessment.completed", "autopay.enrolled"]);
        events.OfType<AssignmentTaskCompleted>().ShouldAllBe(c => !c.DoneBeforeRequest);
    }

    [Fact]
    public async Task The_client_sees_open_tasks_in_order_with_links_and_progress_and_only_their_own()
    {
        var provider = await Kit.NewProviderAsync();
        var signedInClient = await Host.NewClientWithAccountAsync(provider, "Ana");
        var client = signedInClient.ClientId;
        var other = await Kit.NewClientAsync(provider, "Ben");
        var policy = await Kit.PublishedDocumentAsync(provider);
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Intake",
        [
            new StageSpec("First",
            [
                Task("insurance", TaskKind.AddInsurance),
                Task("policy", TaskKind.SignDocument, policy.ToString()),
                Task("gad7", TaskKind.CompleteAssessment, "gad7")
            ]),
            new StageSpec("Then", [Task("autopay", TaskKind.EnrollInAutopay)]),
        ]));
        await PublishAsync(provider, workflowId);
        await AssignAsync(provider, workflowId, client, other);
        await Kit.PublishAsync(new InsuranceChanged(Guid.NewGuid(), client, provider.ProviderId, InsuranceChange.Added, PlanRank.Primary,
            new Actor(ActorKind.Client, client, "Ana"), Clock.GetUtcNow()));

        var result = await Host.Scenario(s =>
        {
            s.As(signedInClient);
            s.Get.Url("/api/my/tasks");
            s.StatusCodeShouldBeOk();
        });
        var json = await IntakeTestKit.ReadJsonAsync(result);
        json.GetProperty("open").EnumerateArray().Select(t => t.GetProperty("link").GetString())
            .ShouldBe([$"/portal/documents/{policy}", "/portal/assessments/gad7"]);
        var progress = json.GetProperty("progress").EnumerateArray().ToList().ShouldHaveSingleItem();
        progress.GetProperty("doneTasks").GetInt32().ShouldBe(1);
        progress.GetProperty("totalTasks").GetInt32().ShouldBe(4);

        await Host.Scenario(s =>
        {
            s.As(signedInClient);
            s.Get.Url($"/api/clients/{other}/assignments");
            s.StatusCodeShouldBe(404);
        });
    }

    [Fact]
    public async Task A_provider_cannot_assign_to_someone_elses_client_and_nobody_is_assigned()
    {
        var provider = await Kit.NewProviderAsync();
        var stranger = await Kit.NewProviderAsync();
        var mine = await Kit.NewClientAsync(provider);
        var theirs = await Kit.NewClientAsync(stranger, "Cleo");
        var workflowId = await CreateWorkflowAsync(provider,
            new WorkflowContent("Intake", [new StageSpec("Only", [Task("insurance", TaskKind.AddInsurance)])]));
        await PublishAsync(provider, workflowId);

        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { clientIds = new[] { mine, theirs } }, $"/api/workflows/{workflowId}/assignments");
            s.StatusCodeShouldBe(404);
        });
        await using var session = OpenSession();
        (await session.Query<IntakeAssignment>().CountAsync()).ShouldBe(0);

        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(stranger));
            s.Get.Url($"/api/workflows/{workflowId}");
            s.StatusCodeShouldBe(404);
        });
    }

    [Fact]
    public async Task A_one_off_request_is_a_one_task_assignment_that_publishes_TaskRequested()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);

        var (tracked, result) = await TrackedScenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { kind = "AddInsurance", dueInDays = 5 }, $"/api/clients/{client}/requests");
            s.StatusCodeShouldBe(201);
        });
        var assignmentId = (await IntakeTestKit.ReadJsonAsync(result)).GetProperty("assignmentId").GetGuid();
        var requested = tracked.Published<TaskRequested>().ShouldHaveSingleItem();
        requested.Kind.ShouldBe(TaskKind.AddInsurance);
        requested.Title.ShouldBe("Add your insurance");
        requested.DueAt.ShouldBe(Clock.GetUtcNow().AddDays(5));

        var done = await Kit.PublishAsync(new InsuranceChanged(Guid.NewGuid(), client, provider.ProviderId, InsuranceChange.Updated, PlanRank.Primary,
            new Actor(ActorKind.Client, client, "Ana"), Clock.GetUtcNow()));
        done.Published<AssignmentCompleted>().ShouldHaveSingleItem().AssignmentId.ShouldBe(assignmentId);
    }

    [Fact]
    public async Task A_task_the_client_did_shortly_before_it_was_requested_completes_at_once_without_asking()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        await Kit.PublishAsync(new InsuranceChanged(Guid.NewGuid(), client, provider.ProviderId, InsuranceChange.Added, PlanRank.Primary,
            new Actor(ActorKind.Client, client, "Ana"), Clock.GetUtcNow()));
        Clock.Advance(TimeSpan.FromDays(2));
        provider = await Kit.SignInAgainAsync(provider);

        var (tracked, result) = await TrackedScenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { kind = "AddInsurance" }, $"/api/clients/{client}/requests");
            s.StatusCodeShouldBe(201);
        });
        var assignmentId = (await IntakeTestKit.ReadJsonAsync(result)).GetProperty("assignmentId").GetGuid();

        tracked.Published<TaskRequested>().ShouldBeEmpty();
        tracked.Published<AssignmentCompleted>().ShouldHaveSingleItem().AssignmentId.ShouldBe(assignmentId);
        (await Kit.EventsAsync(assignmentId)).OfType<AssignmentTaskCompleted>().ShouldHaveSingleItem().DoneBeforeRequest.ShouldBeTrue();
    }

    [Fact]
    public async Task An_action_older_than_the_recent_window_does_not_count_and_the_task_is_asked_for()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        await Kit.PublishAsync(new InsuranceChanged(Guid.NewGuid(), client, provider.ProviderId, InsuranceChange.Added, PlanRank.Primary,
            new Actor(ActorKind.Client, client, "Ana"), Clock.GetUtcNow()));
        Clock.Advance(AssignmentProcess.RecentWindow + TimeSpan.FromDays(1));
        provider = await Kit.SignInAgainAsync(provider);

        var (tracked, _) = await TrackedScenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { kind = "AddInsurance" }, $"/api/clients/{client}/requests");
            s.StatusCodeShouldBe(201);
        });
        tracked.Published<TaskRequested>().ShouldHaveSingleItem().Kind.ShouldBe(TaskKind.AddInsurance);
        tracked.Published<AssignmentCompleted>().ShouldBeEmpty();
    }
}

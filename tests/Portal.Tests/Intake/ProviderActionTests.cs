using Alba;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

public sealed class ProviderActionTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    [Fact]
    public async Task A_provider_skips_and_resends_tasks_with_a_reason_and_cancels_an_assignment()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Intake",
        [
            new StageSpec("Money", [Task("insurance", TaskKind.AddInsurance), Task("autopay", TaskKind.EnrollInAutopay)]),
            new StageSpec("Mood", [Task("gad7", TaskKind.CompleteAssessment, "gad7")]),
        ]));
        await PublishAsync(provider, workflowId);
        var (assigned, ids) = await AssignAsync(provider, workflowId, client);
        var assignmentId = ids[0];
        var tasks = assigned.Published<TaskRequested>();
        var insurance = tasks.Single(t => t.Kind == TaskKind.AddInsurance).TaskId;
        var autopay = tasks.Single(t => t.Kind == TaskKind.EnrollInAutopay).TaskId;
        var cookie = Kit.ProviderCookie(provider);

        await Host.Scenario(s =>
        {
            s.SignedIn(cookie);
            s.PostJsonTo(new { reason = "" }, $"/api/assignments/{assignmentId}/tasks/{autopay}/skip");
            s.StatusCodeShouldBe(400);
        });
        await Host.Scenario(s =>
        {
            s.SignedIn(cookie);
            s.PostJsonTo(new { reason = "Pays by cheque" }, $"/api/assignments/{assignmentId}/tasks/{autopay}/skip");
            s.StatusCodeShouldBeOk();
        });
        var (resent, _) = await TrackedScenario(s =>
        {
            s.SignedIn(cookie);
            s.PostJsonTo(new { reason = "Client lost the email" }, $"/api/assignments/{assignmentId}/tasks/{insurance}/resend");
            s.StatusCodeShouldBeOk();
        });
        resent.Published<TaskReminderDue>().ShouldHaveSingleItem().TaskId.ShouldBe(insurance);

        var stageTwo = await Kit.PublishAsync(new InsuranceChanged(Guid.NewGuid(), client, provider.ProviderId, InsuranceChange.Added,
            PlanRank.Primary,
            new Actor(ActorKind.Client, client, "Ana"), Clock.GetUtcNow()));
        stageTwo.Published<TaskRequested>().ShouldHaveSingleItem().Kind.ShouldBe(TaskKind.CompleteAssessment);

        await Host.Scenario(s =>
        {
            s.SignedIn(cookie);
            s.PostJsonTo(new { reason = "Ended therapy" }, $"/api/assignments/{assignmentId}/cancel");
            s.StatusCodeShouldBeOk();
        });
        await Host.Scenario(s =>
        {
            s.SignedIn(cookie);
            s.PostJsonTo(new { reason = "Again" }, $"/api/assignments/{assignmentId}/cancel");
            s.StatusCodeShouldBe(409);
        });
        var late = await Kit.PublishAsync(new AssessmentCompleted(Guid.NewGuid(), client, provider.ProviderId, "gad7", Guid.NewGuid(),
            3, "minimal", false,
            new Actor(ActorKind.Client, client, "Ana"), Clock.GetUtcNow()));
        late.Published<AssignmentCompleted>().ShouldBeEmpty();

        var events = await Kit.EventsAsync(assignmentId);
        var skipped = events.OfType<AssignmentTaskSkipped>().ShouldHaveSingleItem();
        skipped.ByCondition.ShouldBeFalse();
        skipped.Reason.ShouldBe("Pays by cheque");
        skipped.SkippedBy!.Kind.ShouldBe(ActorKind.Provider);
        skipped.SkippedBy.DisplayName.ShouldBe(provider.Name);
        events.OfType<AssignmentReminderSent>().ShouldHaveSingleItem().ByProvider.ShouldBeTrue();
        events.OfType<AssignmentCancelled>().ShouldHaveSingleItem().Reason.ShouldBe("Ended therapy");
        Names(events).Last().ShouldBe(nameof(AssignmentCancelled));

        var timeline = await IntakeTestKit.ReadJsonAsync(await Host.Scenario(s =>
        {
            s.SignedIn(cookie);
            s.Get.Url($"/api/assignments/{assignmentId}");
            s.StatusCodeShouldBeOk();
        }));
        timeline.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("description").GetString())
            .ShouldContain(d => d!.Contains("Reason: Pays by cheque"));
    }

    [Fact]
    public async Task The_overview_counts_clients_at_each_stage()
    {
        var provider = await Kit.NewProviderAsync();
        var ana = await Kit.NewClientAsync(provider);
        var ben = await Kit.NewClientAsync(provider, "Ben");
        var cleo = await Kit.NewClientAsync(provider, "Cleo");
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Intake",
        [
            new StageSpec("Money", [Task("insurance", TaskKind.AddInsurance)]),
            new StageSpec("Billing", [Task("autopay", TaskKind.EnrollInAutopay)]),
        ]));
        await PublishAsync(provider, workflowId);
        await AssignAsync(provider, workflowId, ana, ben, cleo);
        foreach (var client in new[] { ana, ben })
            await Kit.PublishAsync(new InsuranceChanged(Guid.NewGuid(), client, provider.ProviderId, InsuranceChange.Added, PlanRank.Primary,
                new Actor(ActorKind.Client, client, "C"), Clock.GetUtcNow()));
        await Kit.PublishAsync(new AutopayChanged(Guid.NewGuid(), ana, provider.ProviderId, AutopayChange.Enrolled,
            new Actor(ActorKind.Client, ana, "C"), Clock.GetUtcNow(), null));

        var overview = await IntakeTestKit.ReadJsonAsync(await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Get.Url($"/api/workflows/{workflowId}/overview");
            s.StatusCodeShouldBeOk();
        }));
        overview.GetProperty("running").EnumerateArray()
            .Select(r => $"{r.GetProperty("name").GetString()}:{r.GetProperty("clients").GetInt32()}")
            .ShouldBe(["Money:1", "Billing:1"]);
        overview.GetProperty("completed").GetInt32().ShouldBe(1);
    }
}

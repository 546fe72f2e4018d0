using Alba;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Tests.Infrastructure;
using Portal.Tests.Intake;

namespace Portal.Tests.Caseload;

/// <summary>
/// The row's task figures as the provider reads them: open tasks, overdue by the portal's clock, the next due date
/// (to the tick, as the workflow set it), done; a skipped task is neither open nor done. And the status of a client
/// support has closed the portal to.
/// </summary>
public sealed class CaseloadTaskCountTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    [Fact]
    public async Task Next_due_is_the_earliest_open_due_date_overdue_follows_the_clock_and_a_skipped_task_is_neither_open_nor_done()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Avery", "Adams");
        var workflow = await CreateWorkflowAsync(provider, new WorkflowContent("Intake", [new StageSpec("First", [
            Task("insurance", TaskKind.AddInsurance, dueInDays: 10),
            Task("phq9", TaskKind.CompleteAssessment, "phq9", dueInDays: 3),
            Task("autopay", TaskKind.EnrollInAutopay),
        ])]));
        await PublishAsync(provider, workflow);
        // A time with ticks below the microsecond: the due dates must come back exactly as the workflow set them.
        Clock.Advance(TimeSpan.FromTicks(1_234_567));
        var assignedAt = Clock.GetUtcNow();
        var (assigned, assignments) = await AssignAsync(provider, workflow, client.ClientId);
        var autopay = assigned.Published<TaskRequested>().Single(t => t.Kind == TaskKind.EnrollInAutopay).TaskId;

        var row = await RowAsync(provider, client.ClientId);
        (row.OpenTasks, row.OverdueTasks, row.CompletedTasks).ShouldBe((3, 0, 0));
        row.NextDueAt.ShouldBe(assignedAt.AddDays(3));
        row.NextDueAt!.Value.Ticks.ShouldBe(assignedAt.AddDays(3).Ticks);

        await TrackedScenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { reason = "Pays by cheque" }).ToUrl($"/api/assignments/{assignments[0]}/tasks/{autopay}/skip");
            s.StatusCodeShouldBeOk();
        });
        row = await RowAsync(provider, client.ClientId);
        (row.OpenTasks, row.OverdueTasks, row.CompletedTasks).ShouldBe((2, 0, 0));

        // A second before the PHQ-9 is due nothing is overdue; two seconds later it is, by the portal's clock.
        Clock.Advance(TimeSpan.FromDays(3) - TimeSpan.FromSeconds(1));
        provider = await Host.SignInAgainAsync(provider);
        (await RowAsync(provider, client.ClientId)).OverdueTasks.ShouldBe(0);
        Clock.Advance(TimeSpan.FromSeconds(2));
        row = await RowAsync(provider, client.ClientId);
        (row.OpenTasks, row.OverdueTasks).ShouldBe((2, 1));
        row.NextDueAt.ShouldBe(assignedAt.AddDays(3));

        var signedIn = await Host.SignInAgainAsync(client);
        await TrackedScenario(s =>
        {
            s.As(signedIn);
            s.Post.Json(new { answers = new[] { 1, 0, 1, 0, 0, 1, 0, 0, 0 } }).ToUrl("/api/portal/assessments/phq9");
            s.StatusCodeShouldBe(201);
        });
        row = await RowAsync(provider, client.ClientId);
        (row.OpenTasks, row.OverdueTasks, row.CompletedTasks).ShouldBe((1, 0, 1));
        row.NextDueAt!.Value.Ticks.ShouldBe(assignedAt.AddDays(10).Ticks);
        row.Status.ShouldBe("Active");
    }

    [Fact]
    public async Task A_client_support_closed_the_portal_to_shows_as_not_eligible()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider, "Blake", "Brown");
        (await RowAsync(provider, client.ClientId)).Status.ShouldBe("Eligible");

        await TrackedScenario(s =>
        {
            s.As(provider.Support);
            s.Put.Json(new { @override = false }).ToUrl($"/api/support/clients/{client.ClientId}/eligibility");
            s.StatusCodeShouldBeOk();
        });

        var row = await RowAsync(provider, client.ClientId);
        (row.Status, row.StatusText).ShouldBe(("NotEligible", "Not eligible"));
        (row.OpenTasks, row.OverdueTasks, row.CompletedTasks, row.CompletedAssignments).ShouldBe((0, 0, 0, 0));
        row.NextDueAt.ShouldBeNull();
        row.LastUpdatedAt.ShouldBeNull();
    }

    private async Task<Row> RowAsync(ProviderActor provider, Guid clientId) =>
        (await Host.GetAsJson<ListPage>("/api/console/caseload", provider)).Clients.Single(c => c.ClientId == clientId);

    private sealed record ListPage(List<Row> Clients);

    private sealed record Row(Guid ClientId, string Status, string StatusText, int OpenTasks, int OverdueTasks, DateTimeOffset? NextDueAt,
        int CompletedTasks, int CompletedAssignments, DateTimeOffset? LastUpdatedAt);
}

using System.Diagnostics;
using Alba;
using Marten;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

/// <summary>
/// Messages reach Intake in any order: a provider may ask for a task of a client they have just added before the
/// roster's message about the client has reached Intake's copy, and a withdrawal may overtake the publish it undoes.
/// Each test delivers the roster or catalog message last and expects what the other order gives.
/// </summary>
public sealed class ArrivalOrderTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    /// <summary>How long after the request the roster copy is delivered: well inside the wait, well past a quick 404.</summary>
    private static readonly TimeSpan CopyLate = TimeSpan.FromMilliseconds(800);

    [Fact]
    public async Task A_task_requested_before_the_roster_copy_knows_the_client_is_accepted_once_the_copy_arrives()
    {
        var provider = await Kit.NewProviderAsync();
        var roster = Roster(provider);

        var created = await IntakeTestKit.ReadJsonAsync(await CopyArrivesDuringAsync(roster, s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { kind = "AddInsurance" }, $"/api/clients/{roster.ClientId}/requests");
            s.StatusCodeShouldBe(201);
        }));
        created.GetProperty("clientId").GetGuid().ShouldBe(roster.ClientId);

        var assignments = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Get.Url($"/api/clients/{roster.ClientId}/assignments");
            s.StatusCodeShouldBeOk();
        });
        (await IntakeTestKit.ReadJsonAsync(assignments)).EnumerateArray().ShouldHaveSingleItem()
            .GetProperty("id").GetGuid().ShouldBe(created.GetProperty("assignmentId").GetGuid());
    }

    [Fact]
    public async Task A_workflow_assigned_to_a_known_and_a_not_yet_known_client_is_assigned_to_both_once_the_copy_arrives()
    {
        var provider = await Kit.NewProviderAsync();
        var known = await Kit.NewClientAsync(provider);
        var roster = Roster(provider);
        var workflowId = await CreateWorkflowAsync(provider,
            new WorkflowContent("Welcome", [new StageSpec("First", [Task("insurance", TaskKind.AddInsurance)])]));
        await PublishAsync(provider, workflowId);

        var assigned = await IntakeTestKit.ReadJsonAsync(await CopyArrivesDuringAsync(roster, s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { clientIds = new[] { known, roster.ClientId } }, $"/api/workflows/{workflowId}/assignments");
            s.StatusCodeShouldBeOk();
        }));

        assigned.GetProperty("assignments").EnumerateArray().Select(a => a.GetProperty("clientId").GetGuid())
            .ShouldBe([known, roster.ClientId], ignoreOrder: true);
    }

    [Fact]
    public async Task A_client_that_never_reaches_the_copy_and_another_provider_s_client_are_still_refused_with_404()
    {
        var provider = await Kit.NewProviderAsync();
        var other = await Kit.NewProviderAsync();
        var othersClient = await Kit.NewClientAsync(other);

        var waited = Stopwatch.StartNew();
        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { kind = "AddInsurance" }, $"/api/clients/{Guid.NewGuid()}/requests");
            s.StatusCodeShouldBe(404);
        });
        waited.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));

        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { kind = "AddInsurance" }, $"/api/clients/{othersClient}/requests");
            s.StatusCodeShouldBe(404);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_withdrawn_document_stays_withdrawn_whichever_of_publish_and_withdrawal_arrives_first(bool withdrawalFirst)
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var documentId = Guid.NewGuid();
        var now = Clock.GetUtcNow();
        object published = new DocumentPublished(documentId, provider.PracticeId, "Old policy", 1, now);
        object withdrawn = new CatalogItemWithdrawn(documentId, provider.PracticeId, now.AddMinutes(1), 1);

        foreach (var message in withdrawalFirst ? [withdrawn, published] : new[] { published, withdrawn })
            await Kit.PublishAsync(message);

        var refused = await RequestSignatureAsync(provider, client, documentId, 400);
        (await refused.ReadAsTextAsync()).ShouldContain("subjectId");

        // Published again as a new version, it is offered again (in either order of the earlier two).
        await Kit.PublishAsync(new DocumentPublished(documentId, provider.PracticeId, "Old policy", 2, now.AddMinutes(2)));
        await RequestSignatureAsync(provider, client, documentId, 201);
    }

    [Fact]
    public async Task A_withdrawn_form_whose_publish_arrives_last_is_not_offered()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var formId = Guid.NewGuid();
        var now = Clock.GetUtcNow();
        await Kit.PublishAsync(new CatalogItemWithdrawn(formId, provider.PracticeId, now.AddMinutes(1), 1));
        await Kit.PublishAsync(new IntakeFormPublished(formId, provider.PracticeId, "History", 1, ["reason"], now));

        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { kind = "CompleteIntakeForm", subjectId = formId.ToString() }, $"/api/clients/{client}/requests");
            s.StatusCodeShouldBe(400);
        });
    }

    [Fact]
    public async Task A_scheduled_assessment_before_the_roster_copy_is_held_and_opens_its_task_once_the_copy_arrives()
    {
        var provider = await Kit.NewProviderAsync();
        var roster = Roster(provider);
        var requested = new AssessmentRequested(Guid.NewGuid(), Guid.NewGuid(), roster.ClientId, provider.ProviderId, "gad7",
            "Complete the GAD-7", 1, 1, Clock.GetUtcNow());

        (await Host.PublishAndWaitAsync([requested])).Published<TaskRequested>().ShouldBeEmpty();
        await using (var session = OpenSession())
            (await session.Query<Portal.Intake.Roster.IntakeMessageAwaitingRoster>().CountAsync(m => m.AwaitedId == roster.ClientId)).ShouldBe(1);

        var late = await Host.PublishAndWaitAsync([roster]);
        var task = late.Published<TaskRequested>().ShouldHaveSingleItem();
        task.ClientId.ShouldBe(roster.ClientId);
        task.SubjectId.ShouldBe("gad7");
        await using (var session = OpenSession())
            (await session.Query<Portal.Intake.Roster.IntakeMessageAwaitingRoster>().CountAsync()).ShouldBe(0);
    }

    /// <summary>
    /// Sends the request and, while it is under way, delivers the roster's message about the client; waits until
    /// everything both caused has been handled.
    /// </summary>
    private async Task<IScenarioResult> CopyArrivesDuringAsync(ClientRosterChanged roster, Action<Scenario> request)
    {
        IScenarioResult result = null!;
        await Host.TrackAsync(async bus =>
        {
            var sent = Host.Scenario(request);
            await System.Threading.Tasks.Task.Delay(CopyLate);
            await bus.PublishAsync(roster);
            result = await sent;
        });
        return result;
    }

    private async Task<IScenarioResult> RequestSignatureAsync(ProviderActor provider, Guid clientId, Guid documentId, int status) =>
        (await TrackedScenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { kind = "SignDocument", subjectId = documentId.ToString() }, $"/api/clients/{clientId}/requests");
            s.StatusCodeShouldBe(status);
        })).Result;

    /// <summary>The roster's message about a client just added, as Practice publishes it, not yet delivered.</summary>
    private static ClientRosterChanged Roster(ProviderActor provider) =>
        new(Guid.NewGuid(), provider.ProviderId, provider.PracticeId, provider.PracticeName, "Jordan", "Lee",
            $"jordan-{Guid.NewGuid():N}@portal.test", new DateOnly(1988, 9, 30), true, false, 1);
}

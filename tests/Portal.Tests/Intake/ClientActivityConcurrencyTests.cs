using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Portal.Contracts;
using Portal.Intake.Completion;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Wolverine;
using Wolverine.Tracking;
using SystemTask = System.Threading.Tasks.Task;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

/// <summary>
/// Intake remembers what each client did (their activity) so that a task requested soon after completes at once.
/// Several modules tell Intake about one client at the same moment: no fact may be lost to another handler's save,
/// and a task requested while a fact is being recorded must not miss it.
/// </summary>
public sealed class ClientActivityConcurrencyTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    private Portal.BuildingBlocks.Web.IPracticeLooks Looks => Host.Services.GetRequiredService<Portal.BuildingBlocks.Web.IPracticeLooks>();

    [Fact]
    public async Task Two_things_a_client_did_recorded_by_two_handlers_at_the_same_moment_are_both_remembered()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var policy = await Kit.PublishedDocumentAsync(provider, "Practice policies");
        var actor = new Actor(ActorKind.Client, client, "Ana Client");
        var now = Clock.GetUtcNow();

        // Both handlers read the client's activity before either commits: the first holds its transaction open
        // while the second runs, then both commit.
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        using var scope = Host.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        await using var insurance = store.LightweightSession();
        await using var signing = store.LightweightSession();
        await InsuranceChangedHandler.Handle(new InsuranceChanged(Guid.NewGuid(), client, provider.ProviderId, InsuranceChange.Added,
            PlanRank.Primary, actor, now), insurance, bus, Clock, Looks, CancellationToken.None);
        var signed = SystemTask.Run(async () =>
        {
            await ConsentFormSignedHandler.Handle(new ConsentFormSigned(Guid.NewGuid(), client, provider.ProviderId, policy, 1,
                "Practice policies", actor, now), signing, bus, Clock, Looks, CancellationToken.None);
            await signing.SaveChangesAsync();
        });
        await SystemTask.WhenAll(SystemTask.Run(async () =>
        {
            await SystemTask.WhenAny(signed, SystemTask.Delay(TimeSpan.FromMilliseconds(500)));
            await insurance.SaveChangesAsync();
        }), signed);

        var assignmentId = await AssignBothAsync(provider, client, policy);
        var completed = (await Kit.EventsAsync(assignmentId)).OfType<AssignmentTaskCompleted>().ToList();
        completed.Select(c => c.Source).Order().ShouldBe(["document.signed", "insurance.added"]);
        completed.ShouldAllBe(c => c.DoneBeforeRequest);
    }

    [Fact]
    public async Task Skipping_a_task_while_the_client_does_a_task_of_the_next_stage_completes_that_task_at_once()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var policy = await Kit.PublishedDocumentAsync(provider, "Practice policies");
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Two steps",
        [
            new StageSpec("Money", [Task("insurance", TaskKind.AddInsurance)]),
            new StageSpec("Paperwork", [Task("policies", TaskKind.SignDocument, policy.ToString())]),
        ]));
        await PublishAsync(provider, workflowId);
        var (assigned, ids) = await AssignAsync(provider, workflowId, client);
        var assignmentId = ids.ShouldHaveSingleItem();
        var insuranceTask = assigned.Published<TaskRequested>().ShouldHaveSingleItem().TaskId;

        // The client signs the policy (its transaction still open) as the provider skips the insurance.
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        using var scope = Host.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        await using var signing = store.LightweightSession();
        await ConsentFormSignedHandler.Handle(new ConsentFormSigned(Guid.NewGuid(), client, provider.ProviderId, policy, 1,
            "Practice policies", new Actor(ActorKind.Client, client, "Ana Client"), Clock.GetUtcNow()), signing, bus, Clock, Looks, CancellationToken.None);

        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).IncludeExternalTransports().ExecuteAndWaitAsync(
            (Func<IMessageContext, SystemTask>)(async _ =>
            {
                var skip = Host.Scenario(s =>
                {
                    s.SignedIn(Kit.ProviderCookie(provider));
                    s.PostJsonTo(new { reason = "Pays privately" }, $"/api/assignments/{assignmentId}/tasks/{insuranceTask}/skip");
                    s.StatusCodeShouldBeOk();
                });
                await SystemTask.WhenAny(skip, SystemTask.Delay(TimeSpan.FromMilliseconds(500)));
                await signing.SaveChangesAsync();
                await skip;
            }));

        var events = await Kit.EventsAsync(assignmentId);
        var signed = events.OfType<AssignmentTaskCompleted>().ShouldHaveSingleItem();
        signed.Source.ShouldBe("document.signed");
        signed.DoneBeforeRequest.ShouldBeTrue();
        events.OfType<AssignmentFinished>().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_task_requested_while_the_client_is_doing_it_completes_at_once()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var actor = new Actor(ActorKind.Client, client, "Ana Client");

        // The client's insurance is being recorded (its transaction still open) when the provider asks for it.
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        using var scope = Host.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        await using var recording = store.LightweightSession();
        await InsuranceChangedHandler.Handle(new InsuranceChanged(Guid.NewGuid(), client, provider.ProviderId, InsuranceChange.Added,
            PlanRank.Primary, actor, Clock.GetUtcNow()), recording, bus, Clock, Looks, CancellationToken.None);

        IScenarioResult result = null!;
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).IncludeExternalTransports().ExecuteAndWaitAsync(
            (Func<IMessageContext, SystemTask>)(async _ =>
            {
                var request = Host.Scenario(s =>
                {
                    s.SignedIn(Kit.ProviderCookie(provider));
                    s.PostJsonTo(new { kind = "AddInsurance" }, $"/api/clients/{client}/requests");
                    s.StatusCodeShouldBe(201);
                });
                await SystemTask.WhenAny(request, SystemTask.Delay(TimeSpan.FromMilliseconds(500)));
                await recording.SaveChangesAsync();
                result = await request;
            }));

        var assignmentId = (await IntakeTestKit.ReadJsonAsync(result)).GetProperty("assignmentId").GetGuid();
        var events = await Kit.EventsAsync(assignmentId);
        events.OfType<AssignmentTaskCompleted>().ShouldHaveSingleItem().Source.ShouldBe("insurance.added");
        events.OfType<AssignmentFinished>().ShouldHaveSingleItem();
    }

    /// <summary>Assigns a one-stage workflow asking for the insurance and the signed policy; returns the assignment.</summary>
    private async Task<Guid> AssignBothAsync(ProviderActor provider, Guid client, Guid policy)
    {
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Paperwork",
            [new StageSpec("Paperwork", [Task("insurance", TaskKind.AddInsurance), Task("policies", TaskKind.SignDocument, policy.ToString())])]));
        await PublishAsync(provider, workflowId);
        var (_, ids) = await AssignAsync(provider, workflowId, client);
        return ids.ShouldHaveSingleItem();
    }
}

using System.Text.Json;
using Alba;
using Marten;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Intake.Roster;
using Portal.Intake.Triggers;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

/// <summary>
/// Triggers (#30 item 4): a published workflow starts by itself when a client is added, becomes eligible or their
/// billing changes to insurance; once per change, never beside a running copy of itself, never for a discharged client.
/// </summary>
public sealed class WorkflowTriggerTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    [Fact]
    public async Task A_client_added_starts_the_triggered_workflow_once_as_the_workflow_trigger()
    {
        var provider = await Kit.NewProviderAsync();
        var triggered = await PublishedAsync(provider, "Welcome", WorkflowTrigger.ClientAdded);
        await PublishedAsync(provider, "Assigned by hand");
        var draftOnly = await CreateWorkflowAsync(provider, Content("Not yet published", WorkflowTrigger.ClientAdded));

        var client = await Kit.NewClientAsync(provider);

        var assignment = (await AssignmentsAsync(client)).ShouldHaveSingleItem();
        assignment.DefinitionId.ShouldBe(triggered);
        assignment.DefinitionId.ShouldNotBe(draftOnly);
        var started = (await Kit.EventsAsync(assignment.Id)).OfType<AssignmentStarted>().Single();
        started.AssignedBy.ShouldBe(new Actor(ActorKind.System, provider.ProviderId, WorkflowTriggers.ActorName));
        started.DefinitionVersion.ShouldBe(1);

        // Even with the first run cancelled, later roster changes of the same client add nothing.
        await CancelAsync(provider, assignment.Id);
        await RenameAsync(provider, client, "Anabel");
        (await AssignmentsAsync(client)).ShouldHaveSingleItem().Status.ShouldBe(AssignmentStatus.Cancelled);
    }

    [Fact]
    public async Task A_client_who_becomes_eligible_starts_the_triggered_workflow_then_and_only_then()
    {
        var provider = await Kit.Host.NewProviderAsync(portalEnabled: false);
        await PublishedAsync(provider, "Portal welcome", WorkflowTrigger.ClientEligible);
        var client = await Kit.NewClientAsync(provider);
        (await AssignmentsAsync(client)).ShouldBeEmpty();

        await Kit.Host.TrackedScenarioAsync(s =>
        {
            s.As(provider.Support);
            s.Put.Json(new { @override = true }).ToUrl($"/api/support/clients/{client}/eligibility");
            s.StatusCodeShouldBeOk();
        });
        var assignment = (await AssignmentsAsync(client)).ShouldHaveSingleItem();

        await CancelAsync(provider, assignment.Id);
        await RenameAsync(provider, client, "Anabel");
        (await AssignmentsAsync(client)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Billing_that_changes_to_insurance_starts_the_workflow_once_and_a_replayed_roster_message_starts_nothing()
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await PublishedAsync(provider, "Insurance paperwork", WorkflowTrigger.BillingBecameInsurance);
        var client = await Kit.NewClientAsync(provider);
        (await AssignmentsAsync(client)).ShouldBeEmpty();

        var selfPay = await RosterChangeAsync(client, c => c with { Billing = ClientBilling.SelfPay });
        await Kit.PublishAsync(selfPay);
        (await AssignmentsAsync(client)).ShouldBeEmpty();

        var insurance = await RosterChangeAsync(client, c => c with { Billing = ClientBilling.Insurance });
        await Kit.PublishAsync(insurance);
        var assignment = (await AssignmentsAsync(client)).ShouldHaveSingleItem();
        assignment.DefinitionId.ShouldBe(workflowId);

        // Cancelled, so the running guard cannot be what stops a second start: the same message again, and an older
        // one arriving late, change nothing.
        await CancelAsync(provider, assignment.Id);
        await Kit.PublishAsync(insurance);
        await Kit.PublishAsync(selfPay);
        (await AssignmentsAsync(client)).ShouldHaveSingleItem().Status.ShouldBe(AssignmentStatus.Cancelled);

        // A real change back to self-pay and then to insurance again is a new change: it starts the workflow again.
        await Kit.PublishAsync(await RosterChangeAsync(client, c => c with { Billing = ClientBilling.SelfPay }));
        await Kit.PublishAsync(await RosterChangeAsync(client, c => c with { Billing = ClientBilling.Insurance }));
        (await AssignmentsAsync(client)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_trigger_does_not_start_a_workflow_the_client_has_running_already()
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await PublishedAsync(provider, "Insurance paperwork", WorkflowTrigger.BillingBecameInsurance);
        var client = await Kit.NewClientAsync(provider);
        var (_, byHand) = await AssignAsync(provider, workflowId, client);

        await Kit.PublishAsync(await RosterChangeAsync(client, c => c with { Billing = ClientBilling.Insurance }));

        (await AssignmentsAsync(client)).ShouldHaveSingleItem().Id.ShouldBe(byHand[0]);
    }

    [Fact]
    public async Task A_discharged_client_is_never_triggered()
    {
        var provider = await Kit.NewProviderAsync();
        await PublishedAsync(provider, "Insurance paperwork", WorkflowTrigger.BillingBecameInsurance, WorkflowTrigger.ClientEligible);
        var client = await Kit.NewClientAsync(provider);
        (await AssignmentsAsync(client)).Count.ShouldBe(1, "eligible on arrival");
        await CancelAsync(provider, (await AssignmentsAsync(client))[0].Id);

        await Host.TrackedScenarioAsync(s =>
        {
            s.SignedIn(provider.Cookie);
            s.Post.Json(new { reason = "Moved away" }).ToUrl($"/api/console/clients/{client}/discharge");
            s.StatusCodeShouldBeSuccess();
        });
        await Kit.PublishAsync(await RosterChangeAsync(client, c => c with { Billing = ClientBilling.Insurance, Eligible = true }));

        (await AssignmentsAsync(client)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_clinicians_trigger_starts_for_their_own_clients_and_a_library_workflows_for_every_client_of_the_practice()
    {
        var owner = await Kit.NewProviderAsync();
        var clinician = await Host.NewMemberAsync(owner, StaffRole.Clinician);
        var workflowId = await PublishedAsync(clinician, "Chris's welcome", WorkflowTrigger.ClientAdded);

        var clinicians = await Kit.NewClientAsync(clinician, "Cleo");
        var owners = await Kit.NewClientAsync(owner, "Otis");
        (await AssignmentsAsync(clinicians)).ShouldHaveSingleItem().DefinitionId.ShouldBe(workflowId);
        (await AssignmentsAsync(owners)).ShouldBeEmpty();

        await Host.Scenario(s =>
        {
            s.SignedIn(owner.Cookie);
            s.Post.Url($"/api/workflows/{workflowId}/library");
            s.StatusCodeShouldBeOk();
        });
        var later = await Kit.NewClientAsync(owner, "Lena");
        (await AssignmentsAsync(later)).ShouldHaveSingleItem().DefinitionId.ShouldBe(workflowId);

        // Another practice's clients never start this practice's workflows.
        var elsewhere = await Kit.NewProviderAsync();
        (await AssignmentsAsync(await Kit.NewClientAsync(elsewhere))).ShouldBeEmpty();
    }

    [Fact]
    public async Task Triggers_are_kept_in_the_export_and_each_is_named_once()
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await CreateWorkflowAsync(provider, Content("Welcome", WorkflowTrigger.ClientAdded, WorkflowTrigger.BillingBecameInsurance));
        var exported = await (await Host.Scenario(s =>
        {
            s.SignedIn(provider.Cookie);
            s.Get.Url($"/api/workflows/{workflowId}/export");
        })).ReadAsTextAsync();
        exported.ShouldContain("\"clientAdded\"");
        exported.ShouldContain("\"billingBecameInsurance\"");

        var twice = await Host.Scenario(s =>
        {
            s.SignedIn(provider.Cookie);
            s.Post.Json(new
            {
                name = "Twice",
                triggers = new[] { "clientAdded", "clientAdded" },
                stages = new[] { new { name = "One", tasks = new[] { new { key = "insurance", kind = "AddInsurance" } } } },
            }).ToUrl("/api/workflows");
            s.StatusCodeShouldBe(400);
        });
        (await twice.ReadAsTextAsync()).ShouldContain("riggers");
    }

    private static WorkflowContent Content(string name, params WorkflowTrigger[] triggers) =>
        new(name, [new StageSpec("Money", [Task("insurance", TaskKind.AddInsurance)])]) { Triggers = triggers };

    private async Task<Guid> PublishedAsync(ProviderActor provider, string name, params WorkflowTrigger[] triggers)
    {
        var id = await CreateWorkflowAsync(provider, Content(name, triggers));
        await PublishAsync(provider, id);
        return id;
    }

    private async Task<IReadOnlyList<IntakeAssignment>> AssignmentsAsync(Guid clientId)
    {
        await using var session = OpenSession();
        return await session.Query<IntakeAssignment>().Where(a => a.ClientId == clientId).OrderBy(a => a.AssignedAt).ToListAsync();
    }

    /// <summary>The roster's next message about the client: its current picture, one version on, changed as the test says.</summary>
    private async Task<ClientRosterChanged> RosterChangeAsync(Guid clientId, Func<ClientRosterChanged, ClientRosterChanged> change)
    {
        await using var session = OpenSession();
        var card = (await session.LoadAsync<IntakeClient>(clientId))!;
        return change(new ClientRosterChanged(card.Id, card.ProviderId, card.PracticeId, card.PracticeName, card.FirstName, card.LastName,
            card.Email, card.DateOfBirth, card.Eligible, card.HasActiveAccount, card.Version + 1)
        {
            CareTeam = card.CareTeam, Discharged = card.Discharged, DischargedAt = card.DischargedAt, Language = card.Language,
            Billing = card.Billing,
        });
    }

    private async Task CancelAsync(ProviderActor provider, Guid assignmentId) =>
        await TrackedScenario(s =>
        {
            s.SignedIn(provider.Cookie);
            s.Post.Json(new { reason = "Not needed" }).ToUrl($"/api/assignments/{assignmentId}/cancel");
            s.StatusCodeShouldBeSuccess();
        });

    /// <summary>An ordinary edit of the client: the roster publishes a new version of them.</summary>
    private async Task RenameAsync(ProviderActor provider, Guid clientId, string firstName)
    {
        var current = JsonDocument.Parse(await (await Host.Scenario(s =>
        {
            s.SignedIn(provider.Cookie);
            s.Get.Url($"/api/console/clients/{clientId}");
            s.StatusCodeShouldBeOk();
        })).ReadAsTextAsync()).RootElement;
        await TrackedScenario(s =>
        {
            s.SignedIn(provider.Cookie);
            s.Put.Json(new
            {
                firstName,
                lastName = current.GetProperty("lastName").GetString(),
                dateOfBirth = current.GetProperty("dateOfBirth").GetString(),
                version = current.GetProperty("version").GetInt64(),
            }).ToUrl($"/api/console/clients/{clientId}");
            s.StatusCodeShouldBeSuccess();
        });
    }
}

using System.Text.Json;
using Alba;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Tests.Infrastructure;
using Portal.Tests.Intake;

namespace Portal.Tests.Caseload;

/// <summary>
/// The practice-wide client list: an owner, front desk or biller sees every client of the practice, a clinician their
/// own clients and those whose care team they are on, nobody another practice's; and the clinician, status and task
/// filters, combined with search and paging, with unknown values refused by name.
/// </summary>
public sealed class CaseloadPracticeTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    private sealed record Practice(ProviderActor Owner, ProviderActor Alice, ProviderActor Bob);

    private async Task<Practice> NewPracticeAsync()
    {
        var owner = await Host.NewProviderAsync();
        var alice = await Host.NewMemberAsync(owner, StaffRole.Clinician, name: "Alice Avery");
        var bob = await Host.NewMemberAsync(owner, StaffRole.Clinician, name: "Bob Baker");
        return new Practice(owner, alice, bob);
    }

    [Fact]
    public async Task The_owner_sees_both_clinicians_clients_and_a_clinician_sees_their_own_and_their_care_team_s_but_not_another_s()
    {
        var (owner, alice, bob) = await NewPracticeAsync();
        await Host.AddClientAsync(alice, "Ann", "Able");
        await Host.AddClientAsync(bob, "Ben", "Brook");
        var shared = await Host.AddClientAsync(bob, "Bea", "Cole");
        await Host.AddClientAsync(owner, "Olga", "Dunn");
        var elsewhere = await Host.NewProviderAsync(support: owner.Support);
        await Host.AddClientAsync(elsewhere, "Eve", "Else");

        await SetRosterAsync(shared, careTeam: [alice.ProviderId]);

        Names(await ListAsync(owner, "")).ShouldBe(["Ann Able", "Ben Brook", "Bea Cole", "Olga Dunn"]);
        Names(await ListAsync(alice, "")).ShouldBe(["Ann Able", "Bea Cole"]);
        Names(await ListAsync(bob, "")).ShouldBe(["Ben Brook", "Bea Cole"]);
        Names(await ListAsync(alice, "?clinician=me")).ShouldBe(["Ann Able"]);
        Names(await ListAsync(alice, "?search=b")).ShouldBe(["Bea Cole"]);
        Names(await ListAsync(elsewhere, "")).ShouldBe(["Eve Else"]);

        var page = await Host.GetAsText("/console/clients", alice);
        page.ShouldContain("Able, Ann");
        page.ShouldContain("Cole, Bea");
        page.ShouldNotContain("Brook, Ben");
        page.ShouldNotContain("Dunn, Olga");

        // Off the care team again: Alice no longer sees Bea.
        await SetRosterAsync(shared, careTeam: [], version: 2_000);
        Names(await ListAsync(alice, "")).ShouldBe(["Ann Able"]);
    }

    [Fact]
    public async Task Front_desk_and_biller_see_the_whole_practice_without_the_clinical_safety_badge()
    {
        var (owner, alice, bob) = await NewPracticeAsync();
        var frontDesk = await Host.NewMemberAsync(owner, StaffRole.FrontDesk);
        var biller = await Host.NewMemberAsync(owner, StaffRole.Biller);
        var ann = await Host.AddClientAsync(alice, "Ann", "Able");
        await Host.AddClientAsync(bob, "Ben", "Brook");
        await Host.AddClientAsync(owner, "Fay", "Front");
        await Publish(new SafetyFlagRaised(Guid.NewGuid(), ann.ClientId, alice.ProviderId, "phq9", Guid.NewGuid(), Clock.GetUtcNow()));

        foreach (var member in new[] { frontDesk, biller })
        {
            var list = await ListAsync(member, "");
            Names(list).ShouldBe(["Ann Able", "Ben Brook", "Fay Front"]);
            list.Clients.ShouldAllBe(c => c.SafetyFlags == 0);
            Names(await ListAsync(member, $"?clinician={alice.ProviderId}")).ShouldBe(["Ann Able"]);
        }
        (await ListAsync(owner, "")).Clients[0].SafetyFlags.ShouldBe(1);
        (await ListAsync(alice, "")).Clients[0].SafetyFlags.ShouldBe(1);

        // The front desk invites; a biller is not offered the button (the invitation is front office work).
        (await Host.GetAsText("/console/clients", frontDesk)).ShouldContain("/console/clients/access?handler=Invite");
        var billerPage = await Host.GetAsText("/console/clients", biller);
        billerPage.ShouldContain("Able, Ann");
        billerPage.ShouldNotContain("/console/clients/access?handler=Invite");
        billerPage.ShouldNotContain("data-status=\"SafetyFlag\"");
    }

    [Fact]
    public async Task The_filters_by_clinician_status_and_tasks_combine_with_search_and_paging()
    {
        var (owner, alice, bob) = await NewPracticeAsync();
        var ann = await Host.NewClientWithAccountAsync(alice, "Ann", "Able");
        var amy = await Host.AddClientAsync(alice, "Amy", "Ames");
        await Host.SendInvitationAsync(alice, amy.ClientId);
        await Host.AddClientAsync(alice, "Abe", "Arch");
        await Host.AddClientAsync(bob, "Ben", "Brook");
        var bea = await Host.AddClientAsync(bob, "Bea", "Cole");
        await SetRosterAsync(bea, discharged: true);
        var workflow = await CreateWorkflowAsync(owner, new WorkflowContent("Intake", [new StageSpec("First", [
            Task("insurance", TaskKind.AddInsurance, dueInDays: 5),
            Task("phq9", TaskKind.CompleteAssessment, "phq9", dueInDays: 5),
        ])]));
        await PublishAsync(owner, workflow);
        await AssignAsync(owner, workflow, ann.ClientId);

        Names(await ListAsync(owner, $"?clinician={alice.ProviderId}")).ShouldBe(["Ann Able", "Amy Ames", "Abe Arch"]);
        Names(await ListAsync(owner, $"?clinician={bob.ProviderId}")).ShouldBe(["Ben Brook", "Bea Cole"]);
        await StatusesAsync(owner, "Active", ["Ann Able"]);
        await StatusesAsync(owner, "Invited", ["Amy Ames"]);
        await StatusesAsync(owner, "Eligible", ["Abe Arch", "Ben Brook"]);
        await StatusesAsync(owner, "Discharged", ["Bea Cole"]);
        Names(await ListAsync(owner, "?status=invited")).ShouldBe(["Amy Ames"]);
        Names(await ListAsync(owner, "?tasks=open")).ShouldBe(["Ann Able"]);
        Names(await ListAsync(owner, "?tasks=overdue")).ShouldBeEmpty();
        Names(await ListAsync(owner, "?tasks=none")).ShouldBe(["Amy Ames", "Abe Arch", "Ben Brook", "Bea Cole"]);
        Names(await ListAsync(owner, "?status=NeedsAttention")).ShouldBeEmpty();

        // Combined with one another, with the search (both ways a search runs: with and without a filter) and paging.
        Names(await ListAsync(owner, $"?clinician={alice.ProviderId}&status=Eligible")).ShouldBe(["Abe Arch"]);
        Names(await ListAsync(owner, $"?clinician={alice.ProviderId}&tasks=none&sort=updated")).ShouldBe(["Amy Ames", "Abe Arch"]);
        Names(await ListAsync(owner, $"?search=a&clinician={alice.ProviderId}")).ShouldBe(["Ann Able", "Amy Ames", "Abe Arch"]);
        Names(await ListAsync(owner, $"?search=b&clinician={bob.ProviderId}")).ShouldBe(["Ben Brook", "Bea Cole"]);
        Names(await ListAsync(owner, $"?search=b&clinician={bob.ProviderId}&status=Discharged")).ShouldBe(["Bea Cole"]);
        Names(await ListAsync(owner, "?search=a&status=Invited")).ShouldBe(["Amy Ames"]);
        var first = await ListAsync(owner, $"?clinician={alice.ProviderId}&pageSize=2");
        Names(first).ShouldBe(["Ann Able", "Amy Ames"]);
        first.HasMore.ShouldBeTrue();
        var second = await ListAsync(owner, $"?clinician={alice.ProviderId}&pageSize=2&page=2");
        Names(second).ShouldBe(["Abe Arch"]);
        second.HasMore.ShouldBeFalse();

        // Six days on: Ann's tasks are overdue and Amy's 5-day link has expired; both need attention, not discharged Bea.
        Clock.Advance(TimeSpan.FromDays(6));
        owner = await Host.SignInAgainAsync(owner);
        Names(await ListAsync(owner, "?tasks=overdue")).ShouldBe(["Ann Able"]);
        await StatusesAsync(owner, "InvitationExpired", ["Amy Ames"]);
        Names(await ListAsync(owner, "?status=NeedsAttention")).ShouldBe(["Ann Able", "Amy Ames"]);
        Names(await ListAsync(owner, $"?status=NeedsAttention&clinician={bob.ProviderId}")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("clinician=bob", "clinician")]
    [InlineData("clinician=00000000-0000-0000-0000-000000000000", "clinician")]
    [InlineData("clinician=5d7c3f1e-0a0b-4c5d-9e8f-112233445566", "clinician")]
    [InlineData("status=Sleeping", "status")]
    [InlineData("status=3", "status")]
    [InlineData("tasks=late", "tasks")]
    [InlineData("tasks=1", "tasks")]
    public async Task An_unknown_filter_value_is_refused_with_the_parameter_named(string query, string parameter)
    {
        var owner = await Host.NewProviderAsync();
        await RefusedAsync(owner, query, parameter);
    }

    [Fact]
    public async Task A_clinician_of_another_practice_or_a_member_who_is_no_clinician_is_refused_as_a_filter()
    {
        var (owner, alice, _) = await NewPracticeAsync();
        var frontDesk = await Host.NewMemberAsync(owner, StaffRole.FrontDesk);
        var elsewhere = await Host.NewProviderAsync(support: owner.Support);

        await RefusedAsync(owner, $"clinician={elsewhere.ProviderId}", "clinician");
        await RefusedAsync(elsewhere, $"clinician={alice.ProviderId}", "clinician");
        await RefusedAsync(owner, $"clinician={frontDesk.ProviderId}", "clinician");
        await RefusedAsync(owner.Support, "clinician=me", "clinician");
        // Support spans practices: any practice's clinician is a filter for support.
        (await ListAsync(owner.Support, $"?clinician={alice.ProviderId}")).Clients.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_page_offers_the_practice_s_clinicians_and_keeps_the_chosen_filters_in_its_links()
    {
        var (owner, alice, bob) = await NewPracticeAsync();
        await Host.AddClientAsync(alice, "Ann", "Able");
        await Host.AddClientAsync(bob, "Ben", "Brook");

        var page = await Host.GetAsText($"/console/clients?clinician={alice.ProviderId}&status=Eligible&tasks=none", owner);
        page.ShouldContain("Able, Ann");
        page.ShouldNotContain("Brook, Ben");
        page.ShouldContain($"<option value=\"{alice.ProviderId}\" selected=\"selected\">Alice Avery</option>");
        page.ShouldContain($"<option value=\"{bob.ProviderId}\">Bob Baker</option>");
        page.ShouldContain("<option value=\"Eligible\" selected=\"selected\">");
        page.ShouldContain("<option value=\"none\" selected=\"selected\">");
        // The invitation's way back is the same filtered list.
        page.ShouldContain(Uri.EscapeDataString($"/console/clients?page=1&clinician={alice.ProviderId}&status=Eligible&tasks=none"));

        // A clinician chooses between everyone they see and their own clients; no list of colleagues.
        var clinicianPage = await Host.GetAsText("/console/clients?clinician=me", alice);
        clinicianPage.ShouldContain("<option value=\"me\" selected=\"selected\">My clients</option>");
        clinicianPage.ShouldNotContain("Bob Baker");

        // A link with a filter the page does not know shows the list unfiltered and says so.
        var odd = await Host.GetAsText("/console/clients?status=Sleeping", owner);
        odd.ShouldContain("data-filter-notice");
        odd.ShouldContain("Brook, Ben");
    }

    /// <summary>What the roster would publish after a care-team change or a discharge (the roster's own API is elsewhere).</summary>
    private Task SetRosterAsync(ClientActor client, IReadOnlyList<Guid>? careTeam = null, bool discharged = false, long version = 1_000) =>
        Publish(new ClientRosterChanged(client.ClientId, client.Provider.ProviderId, client.Provider.PracticeId, client.Provider.PracticeName,
            client.FirstName, client.LastName, client.Email, client.DateOfBirth, Eligible: !discharged, HasActiveAccount: false, version)
        {
            CareTeam = careTeam ?? [], Discharged = discharged,
        });

    /// <summary>The status filter gives these clients, each of them showing that status.</summary>
    private async Task StatusesAsync(ISignedIn who, string status, string[] names)
    {
        var list = await ListAsync(who, $"?status={status}");
        Names(list).ShouldBe(names);
        list.Clients.ShouldAllBe(c => c.Status == status);
    }

    private async Task RefusedAsync(ISignedIn who, string query, string parameter)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(who);
            s.Get.Url($"/api/console/caseload?{query}");
            s.StatusCodeShouldBe(400);
        });
        var errors = JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement.GetProperty("errors");
        errors.TryGetProperty(parameter, out _).ShouldBeTrue();
    }

    private async Task<ListPage> ListAsync(ISignedIn who, string query) =>
        await Host.GetAsJson<ListPage>($"/api/console/caseload{query}", who);

    private static IReadOnlyList<string> Names(ListPage page) => [.. page.Clients.Select(c => $"{c.FirstName} {c.LastName}")];

    private sealed record ListPage(List<Row> Clients, int Page, int PageSize, bool HasMore);

    private sealed record Row(Guid ClientId, string FirstName, string LastName, string Status, int OpenTasks, int OverdueTasks, int SafetyFlags);
}

using System.Net;
using Alba;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Tests.Infrastructure;
using Portal.Tests.Intake;

namespace Portal.Tests.Host;

/// <summary>
/// Each staff role's home: the provider's dashboard at /console (what needs them, their clients waiting on tasks,
/// never another practice's), support's at /support (system state, delivery failures, locked accounts, no health
/// information); sign-in lands there; and support's view of a client's profile offers no provider-only actions.
/// </summary>
public sealed class DashboardTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    [Fact]
    public async Task The_provider_dashboard_counts_their_own_clients_waiting_on_tasks_and_overdue_by_the_portal_s_clock()
    {
        var provider = await Host.NewProviderAsync();
        var avery = await Host.NewClientWithAccountAsync(provider, "Avery", "Adams");
        await Host.AddClientAsync(provider, "Blake", "Brown");
        var workflow = await CreateWorkflowAsync(provider, new WorkflowContent("Intake", [new StageSpec("First", [
            Task("insurance", TaskKind.AddInsurance, dueInDays: 10),
            Task("phq9", TaskKind.CompleteAssessment, "phq9", dueInDays: 3),
        ])]));
        await PublishAsync(provider, workflow);
        await AssignAsync(provider, workflow, avery.ClientId);

        // Another practice with two clients waiting, one of them overdue: none of it is on the first provider's page.
        var other = await Host.NewProviderAsync();
        var zora = await Host.AddClientAsync(other, "Zora", "Quillfeather");
        var yael = await Host.AddClientAsync(other, "Yael", "Quillfeather");
        var theirs = await CreateWorkflowAsync(other, new WorkflowContent("Theirs", [new StageSpec("Only", [
            Task("insurance", TaskKind.AddInsurance, dueInDays: 1),
        ])]));
        await PublishAsync(other, theirs);
        await AssignAsync(other, theirs, zora.ClientId, yael.ClientId);

        var dashboard = await Host.GetAsText("/console", provider);
        dashboard.ShouldContain("<h1>Dashboard</h1>");
        dashboard.ShouldContain("data-clients-open=\"1\" data-clients-overdue=\"0\"");
        dashboard.ShouldContain("client has tasks open");
        dashboard.ShouldContain("href=\"/console/clients\"");
        dashboard.ShouldNotContain("Quillfeather");

        // Two days later the other practice's task is overdue (theirs only); four days later the PHQ-9 is too.
        Clock.Advance(TimeSpan.FromDays(2));
        other = await Host.SignInAgainAsync(other);
        (await Host.GetAsText("/console", other)).ShouldContain("data-clients-open=\"2\" data-clients-overdue=\"2\"");
        provider = await Host.SignInAgainAsync(provider);
        (await Host.GetAsText("/console", provider)).ShouldContain("data-clients-open=\"1\" data-clients-overdue=\"0\"");
        Clock.Advance(TimeSpan.FromDays(2));
        provider = await Host.SignInAgainAsync(provider);
        var overdue = await Host.GetAsText("/console", provider);
        overdue.ShouldContain("data-clients-open=\"1\" data-clients-overdue=\"1\"");
        overdue.ShouldContain("1 with overdue tasks");
    }

    [Fact]
    public async Task Front_desk_and_a_clinician_on_the_care_team_count_the_clients_they_see_in_the_list_and_no_others()
    {
        var owner = await Host.NewProviderAsync();
        var frontDesk = await Host.NewMemberAsync(owner, StaffRole.FrontDesk);
        var teamMate = await Host.NewMemberAsync(owner, StaffRole.Clinician);
        var outsider = await Host.NewMemberAsync(owner, StaffRole.Clinician);
        var avery = await Host.NewClientWithAccountAsync(owner, "Avery", "Adams");
        var workflow = await CreateWorkflowAsync(owner, new WorkflowContent("Intake", [new StageSpec("First", [
            Task("phq9", TaskKind.CompleteAssessment, "phq9", dueInDays: 3),
        ])]));
        await PublishAsync(owner, workflow);
        await AssignAsync(owner, workflow, avery.ClientId);
        await Host.TrackedScenarioAsync(s =>
        {
            s.As(owner);
            s.Post.Json(new { memberId = teamMate.ProviderId }).ToUrl($"/api/console/clients/{avery.ClientId}/care-team");
            s.StatusCodeShouldBe(200);
        });

        // The owner's count, the front desk's (the whole practice) and the care-team clinician's agree: Avery waits.
        foreach (var member in new[] { owner, frontDesk, teamMate })
            (await Host.GetAsText("/console", member)).ShouldContain("data-clients-open=\"1\" data-clients-overdue=\"0\"");
        // A clinician neither primary nor on the team does not see Avery in the list, nor in the count.
        var theirs = await Host.GetAsText("/console", outsider);
        theirs.ShouldContain("data-clients-open=\"0\" data-clients-overdue=\"0\"");
        theirs.ShouldContain("No client has a task open.");
    }

    [Fact]
    public async Task The_console_header_names_the_member_s_practice_and_support_keeps_its_own()
    {
        var owner = await Host.NewProviderAsync();
        var frontDesk = await Host.NewMemberAsync(owner, StaffRole.FrontDesk);
        foreach (var member in new[] { owner, frontDesk })
        {
            var page = await Host.GetAsText("/console", member);
            page.ShouldContain($"<span class=\"brand-name\" data-practice-name>{owner.PracticeName}</span>");
            page.ShouldContain($"<title>Dashboard &#xB7; {owner.PracticeName}</title>");
            page.ShouldNotContain("Provider console");
        }
        var support = await Host.GetAsText("/console/clients", owner.Support);
        support.ShouldContain("<span class=\"brand-sub\">Support</span>");
    }

    [Fact]
    public async Task A_biller_s_home_says_where_insurance_review_and_autopay_are_done_and_front_desk_is_not_told()
    {
        var owner = await Host.NewProviderAsync();
        var biller = await Host.NewMemberAsync(owner, StaffRole.Biller);
        var frontDesk = await Host.NewMemberAsync(owner, StaffRole.FrontDesk);
        var home = await Host.GetAsText("/console", biller);
        home.ShouldContain("data-billing-ways");
        home.ShouldContain("review a plan");
        home.ShouldContain("post a balance or refund a charge");
        (await Host.GetAsText("/console", frontDesk)).ShouldNotContain("data-billing-ways");
    }

    [Fact]
    public async Task A_provider_with_nothing_waiting_is_told_so_and_support_is_sent_from_the_console_to_its_own_home()
    {
        var provider = await Host.NewProviderAsync();
        var dashboard = await Host.GetAsText("/console", provider);
        dashboard.ShouldContain("data-clients-open=\"0\" data-clients-overdue=\"0\"");
        dashboard.ShouldContain("No client has a task open.");
        dashboard.ShouldNotContain("Needs attention");

        var sent = await Host.Scenario(s =>
        {
            s.As(provider.Support);
            s.Get.Url("/console");
            s.StatusCodeShouldBe(302);
        });
        sent.Context.Response.Headers.Location.ToString().ShouldBe("/support");
    }

    [Fact]
    public async Task Support_s_home_shows_system_state_deliveries_and_locked_accounts_without_names_or_health_information()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Robin", "Quillfeather");
        var locked = await Host.NewClientWithAccountAsync(provider, "Sasha", "Lockwood");
        var workflow = await CreateWorkflowAsync(provider, new WorkflowContent("Intake", [new StageSpec("First", [
            Task("phq9", TaskKind.CompleteAssessment, "phq9", dueInDays: 3),
        ])]));
        await PublishAsync(provider, workflow);
        await AssignAsync(provider, workflow, client.ClientId);
        await TrackedScenario(s =>
        {
            s.As(client);
            s.Post.Json(new { answers = new[] { 3, 3, 2, 2, 1, 1, 0, 0, 0 } }).ToUrl("/api/portal/assessments/phq9");
            s.StatusCodeShouldBe(201);
        });
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var address = IPAddress.Parse($"198.51.100.{attempt}");
            await Host.Scenario(s =>
            {
                s.Post.Json(new { email = locked.Email, password = "wrong-password-here" }).ToUrl("/api/account/sign-in");
                s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = address);
                s.IgnoreStatusCode();
            });
        }

        var home = await Host.GetAsText("/support", provider.Support);
        home.ShouldContain("<h1>Support</h1>");
        // The message system's state is shared by every test of the run: that it is summarised, not what it says.
        home.ShouldContain("id=\"system\"");
        home.ShouldContain("waiting in the outbox");
        home.ShouldContain("id=\"email-deliveries\"");
        home.ShouldContain("0 failed and 0 retrying");
        home.ShouldContain("data-locked=\"1\" data-email-changes=\"0\"");
        home.ShouldContain("1 client account is locked by failed sign-ins");
        foreach (var link in new[] { "/support/accounts", "/support/deliveries", "/support/audit", "/support/health" })
            home.ShouldContain($"href=\"{link}\"");
        foreach (var secret in new[] { "Quillfeather", "Lockwood", "Robin", "PHQ", "score", "safety", locked.Email })
            home.ShouldNotContain(secret, Case.Insensitive);

        foreach (var outsider in new ISignedIn[] { provider, client })
        {
            // A page refusal goes to the access-denied page (a 403 page), as every page's does.
            var refused = await Host.Scenario(s =>
            {
                s.As(outsider);
                s.Get.Url("/support");
                s.StatusCodeShouldBe(302);
            });
            refused.Context.Response.Headers.Location.ToString().ShouldContain("/forbidden");
        }
    }

    [Fact]
    public async Task Sign_in_lands_the_provider_on_the_dashboard_and_support_on_its_home()
    {
        var provider = await Host.NewProviderAsync();
        foreach (var (email, password, home) in new[]
                 {
                     (provider.Email, provider.Password, "/console"),
                     (provider.Support.Email, provider.Support.Password, "/support"),
                 })
        {
            var page = await Host.OpenPageAsync(Nobody.Instance, "/signin");
            var code = await SecondFactors.CodeAsync(Host.Services, email) ?? string.Empty;
            var signedIn = await Host.Scenario(s => s.PostForm(Nobody.Instance, page, "/signin", "",
                new() { ["Email"] = email, ["Password"] = password, ["Code"] = code, ["TimeZone"] = "UTC" }));
            signedIn.Context.Response.StatusCode.ShouldBe(302);
            signedIn.Context.Response.Headers.Location.ToString().ShouldBe(home);
        }
    }

    [Fact]
    public async Task Support_reading_a_client_s_profile_is_offered_no_provider_only_actions()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Avery", "Adams");
        var workflow = await CreateWorkflowAsync(provider, new WorkflowContent("Intake", [new StageSpec("First", [
            Task("insurance", TaskKind.AddInsurance, dueInDays: 10),
        ])]));
        await PublishAsync(provider, workflow);
        var (_, assignments) = await AssignAsync(provider, workflow, client.ClientId);
        var url = $"/console/clients/{client.ClientId}";
        string[] providerOnly =
        [
            $"href=\"{url}/assessment-schedules\"", $"href=\"{url}/requests\"", $"href=\"/console/assignments/{assignments[0]}\"",
        ];

        var providerView = await Host.GetAsText(url, provider);
        foreach (var link in providerOnly) providerView.ShouldContain(link);

        var supportView = await Host.GetAsText(url, provider.Support);
        supportView.ShouldContain("Avery");
        supportView.ShouldContain("Intake");
        foreach (var link in providerOnly) supportView.ShouldNotContain(link);
    }

    /// <summary>A browser without a session.</summary>
    private sealed record Nobody(string Cookie) : ISignedIn
    {
        public static readonly Nobody Instance = new("portal.none=1");
    }
}

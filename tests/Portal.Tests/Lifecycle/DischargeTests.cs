using System.Text.Json;
using Alba;
using Marten;
using Portal.Contracts;
using Portal.Forms.Assessments;
using Portal.Invitations.Accounts;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Lifecycle;

public sealed class DischargeTests(PortalFixture fixture) : LifecycleTest(fixture)
{
    [Fact]
    public async Task Discharge_ends_the_clients_sessions_and_sign_in_tells_them_only_after_the_right_password()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);

        var (tracked, result) = await DischargeAsync(provider, client.ClientId, "Treatment goals met");

        var body = await result.ReadAsJsonAsync<JsonElement>();
        body.GetProperty("discharged").GetBoolean().ShouldBeTrue();
        body.GetProperty("reason").GetString().ShouldBe("Treatment goals met");
        body.GetProperty("dischargedBy").GetString().ShouldBe(provider.Name);
        tracked.Published<ClientRosterChanged>().ShouldContain(c => c.ClientId == client.ClientId && c.Discharged && !c.Eligible);
        tracked.Published<ClientAccountStatusChanged>().ShouldContain(c => c.ClientId == client.ClientId && !c.HasActiveAccount);

        await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/api/account/me");
            s.StatusCodeShouldBe(401);
        });
        var wrong = await SignInAnswerAsync(client.Email, "Not-The-Password-99");
        wrong.Status.ShouldBe(401);
        wrong.Title.ShouldNotBe(ClosedMessage);
        var right = await SignInAnswerAsync(client.Email, client.Password!);
        right.ShouldBe((403, ClosedMessage));

        var roster = await GetJsonAsync(provider, $"/api/console/clients/{client.ClientId}");
        roster.GetProperty("eligible").GetBoolean().ShouldBeFalse();
        roster.GetProperty("hasActiveAccount").GetBoolean().ShouldBeFalse();
        var access = await GetJsonAsync(provider, $"/api/console/clients/{client.ClientId}/access");
        access.GetProperty("status").GetString().ShouldBe("Discharged");

        (await AuditOfAsync(client.ClientId, "client.discharged")).ShouldHaveSingleItem().Outcome.ShouldBe("reason: Treatment goals met");
        (await AuditOfAsync(client.ClientId, "account.closed")).ShouldHaveSingleItem();
        (await AuditOfAsync(client.ClientId, "account.sign-in")).Select(a => a.Outcome).ShouldContain("refused-closed");
    }

    [Fact]
    public async Task Discharge_cancels_open_tasks_and_their_reminders_never_come()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var (requested, _) = await RequestInsuranceAsync(provider, client.ClientId);
        var task = requested.Published<TasksRequested>().SelectMany(b => b.Tasks).ShouldHaveSingleItem();

        var (discharged, _) = await DischargeAsync(provider, client.ClientId);

        var closed = discharged.Published<TaskClosed>().ShouldHaveSingleItem();
        (closed.TaskId, closed.Outcome).ShouldBe((task.TaskId, TaskOutcome.Cancelled));
        var assignment = (await GetJsonAsync(provider, $"/api/assignments/{task.AssignmentId}")).GetProperty("assignment");
        assignment.GetProperty("status").GetString().ShouldBe("Cancelled");
        assignment.GetProperty("cancelReason").GetString().ShouldBe("The client was discharged.");

        Clock.Advance(TimeSpan.FromDays(8));
        var fired = await requested.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        fired.Published<TaskReminderDue>().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_discharged_client_gets_no_invitation_and_a_task_request_is_refused()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);
        await DischargeAsync(provider, client.ClientId);

        // Nothing new is asked of a discharged client (see NoNewWorkTests), so no task can invite them either.
        var (requested, _) = await RequestInsuranceAsync(provider, client.ClientId, status: 409);

        requested.Published<TasksRequested>().ShouldBeEmpty();
        requested.Published<InvitationEmailRequested>().ShouldBeEmpty();
        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Url($"/api/console/clients/{client.ClientId}/invitation");
            s.StatusCodeShouldBe(409);
        });
    }

    [Fact]
    public async Task Discharge_stops_recurring_assessments()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var (scheduled, _) = await TrackedScenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { instrument = "phq9", everyWeeks = 1 }).ToUrl($"/api/clients/{client.ClientId}/assessment-schedules");
            s.StatusCodeShouldBe(201);
        });

        await DischargeAsync(provider, client.ClientId);

        await using (var session = OpenSession())
            (await session.Query<AssessmentSchedule>().Where(s => s.ClientId == client.ClientId).ToListAsync())
                .ShouldAllBe(s => !s.Active);
        Clock.Advance(TimeSpan.FromDays(8));
        var fired = await scheduled.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        fired.Published<AssessmentRequested>().ShouldBeEmpty();
    }

    [Fact]
    public async Task An_open_invitation_link_stops_working_at_discharge_and_stays_closed_after_a_reopen()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);
        var token = await Host.SendInvitationAsync(provider, client.ClientId);

        await DischargeAsync(provider, client.ClientId);
        await CheckLinkAsync(token, 410);
        await ReopenAsync(provider, client.ClientId);
        await CheckLinkAsync(token, 410);

        await Host.Scenario(s =>
        {
            s.Post.Json(new { token, dateOfBirth = client.DateOfBirth, password = Actors.DefaultPassword }).ToUrl("/api/account/activate");
            s.StatusCodeShouldBe(410);
        });
        var fresh = await Host.SendInvitationAsync(provider, client.ClientId);
        await CheckLinkAsync(fresh, 200);
    }

    [Fact]
    public async Task A_reopened_client_needs_a_new_invitation_and_its_activation_opens_the_account_with_a_new_password()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await DischargeAsync(provider, client.ClientId);

        var (reopened, result) = await ReopenAsync(provider, client.ClientId);

        var body = await result.ReadAsJsonAsync<JsonElement>();
        body.GetProperty("discharged").GetBoolean().ShouldBeFalse();
        body.GetProperty("reopenedAt").ValueKind.ShouldBe(JsonValueKind.String);
        reopened.Published<ClientRosterChanged>().ShouldContain(c => c.ClientId == client.ClientId && !c.Discharged && c.Eligible);
        (await GetJsonAsync(provider, $"/api/console/clients/{client.ClientId}")).GetProperty("eligible").GetBoolean().ShouldBeTrue();
        (await GetJsonAsync(provider, $"/api/console/clients/{client.ClientId}/access")).GetProperty("status").GetString()
            .ShouldBe("Closed");
        // The old account does not simply come back.
        (await SignInAnswerAsync(client.Email, client.Password!)).ShouldBe((403, ClosedMessage));

        var token = await Host.SendInvitationAsync(provider, client.ClientId);
        const string newPassword = "Quiet-Meadow-Compass-77";
        var (activated, _) = await TrackedScenario(s =>
        {
            s.Post.Json(new { token, dateOfBirth = client.DateOfBirth, password = newPassword }).ToUrl("/api/account/activate");
            s.StatusCodeShouldBeOk();
        });
        activated.Published<ClientAccountStatusChanged>().ShouldContain(c => c.ClientId == client.ClientId && c.HasActiveAccount);

        (await SignInAnswerAsync(client.Email, client.Password!)).Status.ShouldBe(401);
        var (cookie, _) = await Host.SignInAsync(client.Email, newPassword);
        var me = await GetJsonAsync(client with { Cookie = cookie }, "/api/account/me");
        me.GetProperty("role").GetString().ShouldBe("client");
        await using (var session = OpenSession())
        {
            var accounts = await session.Query<Account>().Where(a => a.ClientId == client.ClientId).ToListAsync();
            accounts.ShouldHaveSingleItem().ClosedAt.ShouldBeNull();
        }
        (await GetJsonAsync(provider, $"/api/console/clients/{client.ClientId}/access")).GetProperty("status").GetString()
            .ShouldBe("Active");
        (await AuditOfAsync(client.ClientId, "client.reopened")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Only_the_owner_or_the_primary_clinician_discharges_and_reopens()
    {
        var owner = await Host.NewProviderAsync();
        var clinician = await Host.NewMemberAsync(owner, StaffRole.Clinician);
        var otherClinician = await Host.NewMemberAsync(owner, StaffRole.Clinician, name: "Morgan Other");
        var frontDesk = await Host.NewMemberAsync(owner, StaffRole.FrontDesk);
        var biller = await Host.NewMemberAsync(owner, StaffRole.Biller);
        var stranger = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(clinician);

        await DischargeAsync(frontDesk, client.ClientId, status: 403);
        await DischargeAsync(biller, client.ClientId, status: 403);
        await DischargeAsync(otherClinician, client.ClientId, status: 404);
        await DischargeAsync(stranger, client.ClientId, status: 404);
        await DischargeAsync(clinician, client.ClientId);
        await ReopenAsync(frontDesk, client.ClientId, status: 403);
        await ReopenAsync(stranger, client.ClientId, status: 404);
        await ReopenAsync(owner, client.ClientId);
        await DischargeAsync(owner, client.ClientId);
        (await AuditOfAsync(client.ClientId, "client.discharged")).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_discharge_without_a_reason_or_twice_is_refused()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);

        foreach (var reason in new[] { null, "  ", new string('x', 501) })
        {
            var (_, refused) = await DischargeAsync(provider, client.ClientId, reason, status: 400);
            (await refused.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject()
                .Select(p => p.Name.ToLowerInvariant()).ShouldContain("reason");
        }
        await ReopenAsync(provider, client.ClientId, status: 409);
        await DischargeAsync(provider, client.ClientId, new string('x', 500));
        await DischargeAsync(provider, client.ClientId, status: 409);
        (await AuditOfAsync(client.ClientId, "client.discharged")).ShouldHaveSingleItem();
    }

    private Task<IScenarioResult> CheckLinkAsync(string token, int status) => Host.Scenario(s =>
    {
        s.Post.Json(new { token }).ToUrl("/api/account/activation/check");
        s.StatusCodeShouldBe(status);
    });
}

using System.Globalization;
using System.Text.Json;
using Alba;
using Marten;
using Portal.Contracts;
using Portal.Intake.Engine;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Lifecycle;

/// <summary>A discharged client gets no new work: requests and workflow assignments are refused until the record is re-opened.</summary>
public sealed class NoNewWorkTests(PortalFixture fixture) : LifecycleTest(fixture)
{
    [Fact]
    public async Task Requesting_a_task_of_a_discharged_client_answers_409_with_the_discharge_date_and_creates_nothing()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Sam", "Doe");
        await DischargeAsync(provider, client.ClientId, "Moved away");

        var (tracked, result) = await RequestInsuranceAsync(provider, client.ClientId, status: 409);

        var problem = await result.ReadAsJsonAsync<JsonElement>();
        problem.GetProperty("title").GetString().ShouldBe("The client was discharged.");
        problem.GetProperty("detail").GetString().ShouldBe($"Sam Doe was discharged on {Today()}; re-open the record first.");
        problem.GetProperty("code").GetString().ShouldBe("client_discharged");
        tracked.Published<TasksRequested>().ShouldBeEmpty();
        (await AssignmentsOfAsync(client.ClientId)).ShouldBe(0);
        (await AuditOfAsync(client.ClientId, "intake.request.create")).ShouldBeEmpty();

        await ReopenAsync(provider, client.ClientId);
        await RequestInsuranceAsync(provider, client.ClientId, status: 201);
        (await AssignmentsOfAsync(client.ClientId)).ShouldBe(1);
    }

    [Fact]
    public async Task Front_desk_is_refused_a_request_for_a_discharged_client_as_the_owner_is()
    {
        var owner = await Host.NewProviderAsync();
        var frontDesk = await Host.NewMemberAsync(owner, StaffRole.FrontDesk);
        var client = await Host.AddClientAsync(owner, "Sam", "Doe");
        await DischargeAsync(owner, client.ClientId);

        var (_, result) = await TrackedScenario(s =>
        {
            s.As(frontDesk);
            s.Post.Json(new { kind = "AddInsurance" }).ToUrl($"/api/clients/{client.ClientId}/requests");
            s.StatusCodeShouldBe(409);
        });

        (await TitleOf(result)).ShouldBe("The client was discharged.");
        (await AssignmentsOfAsync(client.ClientId)).ShouldBe(0);
    }

    [Fact]
    public async Task Assigning_a_workflow_to_a_discharged_client_among_others_answers_409_and_nobody_is_assigned()
    {
        var provider = await Host.NewProviderAsync();
        var staying = await Host.AddClientAsync(provider, "Avery", "Stays");
        var gone = await Host.AddClientAsync(provider, "Sam", "Doe");
        await DischargeAsync(provider, gone.ClientId);
        var workflowId = await PublishedWorkflowAsync(provider);

        var (tracked, result) = await TrackedScenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { clientIds = new[] { staying.ClientId, gone.ClientId } }).ToUrl($"/api/workflows/{workflowId}/assignments");
            s.StatusCodeShouldBe(409);
        });

        var problem = await result.ReadAsJsonAsync<JsonElement>();
        problem.GetProperty("detail").GetString()
            .ShouldBe($"Sam Doe was discharged on {Today()}; re-open the record first. Nobody was assigned.");
        tracked.Published<TasksRequested>().ShouldBeEmpty();
        (await AssignmentsOfAsync(staying.ClientId)).ShouldBe(0);
        (await AssignmentsOfAsync(gone.ClientId)).ShouldBe(0);
    }

    [Fact]
    public async Task The_request_page_of_a_discharged_client_says_so_offers_no_form_and_a_stale_form_creates_nothing()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider, "Sam", "Doe");
        var url = $"/console/clients/{client.ClientId}/requests";
        var opened = await Host.OpenPageAsync(provider, url);
        opened.Html.ShouldContain("Send request");
        await DischargeAsync(provider, client.ClientId);

        var stale = await Host.Scenario(s => s.PostForm(provider, opened, url, "", new() { ["kind"] = "AddInsurance" }));

        stale.Context.Response.StatusCode.ShouldBe(409);
        var html = await stale.ReadAsTextAsync();
        html.ShouldContain("Not requested:");
        html.ShouldContain($"Sam Doe was discharged on {Today()}; re-open the record first.");
        html.ShouldNotContain("Send request");
        (await AssignmentsOfAsync(client.ClientId)).ShouldBe(0);

        var page = await Host.OpenPageAsync(provider, url);
        page.Html.ShouldContain($"Sam Doe was discharged on {Today()}; re-open the record first.");
        page.Html.ShouldNotContain("Send request");
    }

    [Fact]
    public async Task The_workflow_builder_offers_a_discharged_client_no_choice_and_a_forced_assignment_is_refused_there()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider, "Sam", "Doe");
        var workflowId = await PublishedWorkflowAsync(provider);
        await DischargeAsync(provider, client.ClientId);
        var builder = $"/console/workflows/{workflowId}";

        var opened = await Host.OpenPageAsync(provider, builder);
        opened.Html.ShouldContain($"Sam Doe was discharged on {Today()}; re-open the record first.");
        opened.Html.ShouldNotContain($"name=\"clientIds\" value=\"{client.ClientId}\"");

        var refused = await Host.Scenario(s =>
            s.PostForm(provider, opened, $"{builder}/assign", "", new() { ["clientIds"] = client.ClientId.ToString() }));
        refused.Context.Response.StatusCode.ShouldBe(302);
        var cookies = string.Join("; ", refused.Context.Response.Headers.SetCookie.Select(c => c!.Split(';')[0]));
        var shown = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", $"{provider.Cookie}; {cookies}");
            s.Get.Url(builder);
            s.StatusCodeShouldBeOk();
        });
        (await shown.ReadAsTextAsync()).ShouldContain("The client was discharged. Sam Doe was discharged on");
        (await AssignmentsOfAsync(client.ClientId)).ShouldBe(0);
    }

    /// <summary>The discharge date as the refusal writes it (the test clock's day, UTC).</summary>
    private string Today() => Clock.GetUtcNow().UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    private async Task<int> AssignmentsOfAsync(Guid clientId)
    {
        await using var session = OpenSession();
        return await session.Query<IntakeAssignment>().Where(a => a.ClientId == clientId).CountAsync();
    }

    private async Task<Guid> PublishedWorkflowAsync(ProviderActor provider)
    {
        var created = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { name = "Intake", stages = new[] { new { name = "Money", tasks = new[] { new { key = "insurance", kind = "AddInsurance" } } } } })
                .ToUrl("/api/workflows");
            s.StatusCodeShouldBe(201);
        });
        var workflow = await created.ReadAsJsonAsync<JsonElement>();
        var id = workflow.GetProperty("id").GetGuid();
        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Url($"/api/workflows/{id}/publish?expectedRevision={workflow.GetProperty("revision").GetInt32()}");
            s.StatusCodeShouldBeOk();
        });
        return id;
    }
}

using System.Text.Json;
using Alba;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Tests.Infrastructure;
using Portal.Tests.Intake;

namespace Portal.Tests.Caseload;

public sealed class CaseloadListTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    [Fact]
    public async Task The_list_shows_each_client_s_status_tasks_and_Last_Updated_and_they_change_when_the_client_acts()
    {
        var provider = await Host.NewProviderAsync();
        var active = await Host.NewClientWithAccountAsync(provider, "Avery", "Adams");
        var invited = await Host.AddClientAsync(provider, "Blake", "Brown");
        await Host.SendInvitationAsync(provider, invited.ClientId);
        await Host.AddClientAsync(provider, "Casey", "Cole");
        var workflow = await CreateWorkflowAsync(provider, new WorkflowContent("Intake", [new StageSpec("First", [
            Task("insurance", TaskKind.AddInsurance, dueInDays: 5),
            Task("phq9", TaskKind.CompleteAssessment, "phq9", dueInDays: 5),
        ])]));
        await PublishAsync(provider, workflow);
        await AssignAsync(provider, workflow, active.ClientId);

        var before = await ListAsync(provider, "/api/console/caseload");
        before.Clients.Select(c => (c.LastName, c.Status)).ShouldBe([("Adams", "Active"), ("Brown", "Invited"), ("Cole", "Eligible")]);
        var avery = before.Clients[0];
        (avery.OpenTasks, avery.OverdueTasks, avery.CompletedTasks).ShouldBe((2, 0, 0));
        avery.LastUpdated.ShouldBe("Activated their portal account");
        before.Clients[1].InvitationExpiresAt.ShouldNotBeNull();
        before.Clients[2].LastUpdatedAt.ShouldBeNull();

        Clock.Advance(TimeSpan.FromHours(1));
        active = await Host.SignInAgainAsync(active);
        provider = await Host.SignInAgainAsync(provider);
        var answeredAt = Clock.GetUtcNow();
        await TrackedScenario(s =>
        {
            s.As(active);
            s.Post.Json(new { answers = new[] { 1, 0, 1, 0, 0, 1, 0, 0, 0 } }).ToUrl("/api/portal/assessments/phq9");
            s.StatusCodeShouldBe(201);
        });

        var after = (await ListAsync(provider, "/api/console/caseload")).Clients[0];
        (after.OpenTasks, after.CompletedTasks).ShouldBe((1, 1));
        after.LastUpdated.ShouldBe("Completed the PHQ-9");
        after.LastUpdatedAt.ShouldBe(answeredAt);

        // Six days on: the insurance task is overdue and Blake's invitation (5 days) has expired.
        Clock.Advance(TimeSpan.FromDays(6));
        provider = await Host.SignInAgainAsync(provider);
        var later = await ListAsync(provider, "/api/console/caseload?sort=updated");
        later.Clients.Select(c => c.LastName).ShouldBe(["Adams", "Brown", "Cole"]);
        (later.Clients[0].OpenTasks, later.Clients[0].OverdueTasks).ShouldBe((1, 1));
        later.Clients[1].Status.ShouldBe("InvitationExpired");
    }

    [Fact]
    public async Task The_list_comes_one_page_at_a_time_in_name_order_and_a_search_matches_the_start_of_a_name_or_email_in_any_case()
    {
        var provider = await Host.NewProviderAsync();
        foreach (var (first, last) in new[] { ("Casey", "Young"), ("Avery", "Garcia"), ("Garland", "Moore"), ("Blake", "Adams"), ("Riley", "Hill") })
            await Host.AddClientAsync(provider, first, last);
        var odd = await Host.AddClientAsync(provider, "Percy", "O'Hara_100%");

        var page1 = await ListAsync(provider, "/api/console/caseload?page=1&pageSize=2");
        var page2 = await ListAsync(provider, "/api/console/caseload?page=2&pageSize=2");
        var page4 = await ListAsync(provider, "/api/console/caseload?page=4&pageSize=2");
        Names(page1).ShouldBe(["Blake Adams", "Avery Garcia"]);
        page1.HasMore.ShouldBeTrue();
        Names(page2).ShouldBe(["Riley Hill", "Garland Moore"]);
        Names(page4).ShouldBeEmpty();
        page4.HasMore.ShouldBeFalse();

        Names(await ListAsync(provider, "/api/console/caseload?search=GAR")).ShouldBe(["Avery Garcia", "Garland Moore"]);
        Names(await ListAsync(provider, "/api/console/caseload?search=avery%20g")).ShouldBe(["Avery Garcia"]);
        Names(await ListAsync(provider,
                $"/api/console/caseload?search={Uri.EscapeDataString(odd.Email[..10].ToUpperInvariant())}"))
            .ShouldBe(["Percy O'Hara_100%"]);
        Names(await ListAsync(provider, "/api/console/caseload?search=o'hara_100%25")).ShouldBe(["Percy O'Hara_100%"]);
        // SQL LIKE's wildcards (% and _) are plain characters in a search.
        Names(await ListAsync(provider, "/api/console/caseload?search=%25")).ShouldBeEmpty();
        Names(await ListAsync(provider, "/api/console/caseload?search=_")).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_search_pages_through_all_its_matches_in_name_order_with_namesakes_in_a_fixed_order_or_by_Last_Updated()
    {
        var provider = await Host.NewProviderAsync();
        await Host.NewClientWithAccountAsync(provider, "Gary", "Hill");
        var namesakes = new[] { await Host.AddClientAsync(provider, "Avery", "Garcia"), await Host.AddClientAsync(provider, "Avery", "Garcia") };
        await Host.AddClientAsync(provider, "Garland", "Moore");
        await Host.AddClientAsync(provider, "Blake", "Gardner");
        await Host.AddClientAsync(provider, "Riley", "Stone");
        var byEmail = await Host.AddClientAsync(provider, "Casey", "Young");
        // The database orders ids as their text; namesakes come in that order, on every page.
        var garcias = namesakes.Select(c => c.ClientId).OrderBy(id => id.ToString(), StringComparer.Ordinal).ToList();

        var page1 = await ListAsync(provider, "/api/console/caseload?search=GAR&pageSize=2");
        var page2 = await ListAsync(provider, "/api/console/caseload?search=GAR&pageSize=2&page=2");
        var page3 = await ListAsync(provider, "/api/console/caseload?search=GAR&pageSize=2&page=3");
        page1.Clients.Select(c => c.ClientId).ShouldBe(garcias);
        page1.HasMore.ShouldBeTrue();
        Names(page2).ShouldBe(["Blake Gardner", "Gary Hill"]);
        page2.HasMore.ShouldBeTrue();
        Names(page3).ShouldBe(["Garland Moore"]);
        page3.HasMore.ShouldBeFalse();
        Names(await ListAsync(provider, "/api/console/caseload?search=GAR&pageSize=5")).ShouldBe(
            ["Avery Garcia", "Avery Garcia", "Blake Gardner", "Gary Hill", "Garland Moore"]);
        (await ListAsync(provider, "/api/console/caseload?search=GAR&pageSize=5")).HasMore.ShouldBeFalse();

        // Only Gary has done anything (activated his account): first by Last Updated, then the rest in name order.
        var updated = await ListAsync(provider, "/api/console/caseload?search=gar&sort=updated&pageSize=3");
        Names(updated).ShouldBe(["Gary Hill", "Avery Garcia", "Avery Garcia"]);
        updated.Clients[0].LastUpdatedAt.ShouldNotBeNull();
        updated.Clients.Skip(1).Select(c => c.ClientId).ShouldBe(garcias);
        Names(await ListAsync(provider, "/api/console/caseload?search=gar&sort=updated&pageSize=3&page=2"))
            .ShouldBe(["Blake Gardner", "Garland Moore"]);

        Names(await ListAsync(provider, "/api/console/caseload?search=garland")).ShouldBe(["Garland Moore"]);
        Names(await ListAsync(provider, "/api/console/caseload?search=gary%20h")).ShouldBe(["Gary Hill"]);
        Names(await ListAsync(provider, "/api/console/caseload?search=hill%20g")).ShouldBe(["Gary Hill"]);
        Names(await ListAsync(provider, $"/api/console/caseload?search={Uri.EscapeDataString(byEmail.Email)}")).ShouldBe(["Casey Young"]);
        Names(await ListAsync(provider, "/api/console/caseload?search=stone%20riley")).ShouldBe(["Riley Stone"]);
        Names(await ListAsync(provider, "/api/console/caseload?search=riley%20stonex")).ShouldBeEmpty();
        (await ListAsync(provider, "/api/console/caseload?search=gar&page=4&pageSize=2")).Clients.ShouldBeEmpty();
    }

    [Fact]
    public async Task Another_provider_sees_none_of_the_clients_and_support_sees_everyone_s()
    {
        var provider = await Host.NewProviderAsync();
        var other = await Host.NewProviderAsync(support: provider.Support);
        await Host.AddClientAsync(provider, "Avery", "Garcia");
        await Host.AddClientAsync(other, "Gary", "Garcia");

        Names(await ListAsync(provider, "/api/console/caseload?search=garcia")).ShouldBe(["Avery Garcia"]);
        Names(await ListAsync(other, "/api/console/caseload")).ShouldBe(["Gary Garcia"]);

        var html = await Host.GetAsText("/console/clients", other);
        html.ShouldContain("Gary");
        html.ShouldNotContain("Avery");

        var all = await Host.Scenario(s =>
        {
            s.As(provider.Support);
            s.Get.Url("/api/console/caseload?search=garcia");
            s.StatusCodeShouldBeOk();
        });
        var everyone = (await all.ReadAsJsonAsync<ListPage>())!;
        everyone.Clients.Select(c => c.FirstName).ShouldBe(["Avery", "Gary"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=10001", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("sort=age", "sort")]
    public async Task Paging_out_of_range_or_an_unknown_order_is_refused_with_the_field_named(string query, string field)
    {
        var provider = await Host.NewProviderAsync();

        var result = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url($"/api/console/caseload?{query}");
            s.StatusCodeShouldBe(400);
        });

        JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task The_console_page_pages_searches_and_offers_the_invitation_and_the_email_changes_to_decide()
    {
        var provider = await Host.NewProviderAsync();
        var active = await Host.NewClientWithAccountAsync(provider, "Avery", "Garcia");
        var waiting = await Host.AddClientAsync(provider, "Blake", "Moore");
        await TrackedScenario(s =>
        {
            s.As(active);
            s.Post.Json(new { newEmail = "avery.new@portal.test" }).ToUrl("/api/portal/email-change");
            s.StatusCodeShouldBe(202);
        });

        var html = await Host.GetAsText("/console/clients", provider);
        html.ShouldContain("data-status=\"Active\"");
        html.ShouldContain("data-status=\"Eligible\"");
        html.ShouldContain($"/console/clients/access?handler=Invite&amp;clientId={waiting.ClientId}");
        html.ShouldContain("Email changes waiting for you");
        html.ShouldContain("avery.new@portal.test");
        html.ShouldContain("Last Updated");

        var searched = await Host.GetAsText("/console/clients?search=MOO", provider);
        searched.ShouldContain("Moore, Blake");
        searched.ShouldNotContain("Garcia, Avery");

        var beyond = await Host.GetAsText("/console/clients?page=abc", provider);
        beyond.ShouldContain("Garcia, Avery");
    }

    private async Task<ListPage> ListAsync(ProviderActor provider, string url)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url(url);
            s.StatusCodeShouldBeOk();
        });
        return (await result.ReadAsJsonAsync<ListPage>())!;
    }

    private static IReadOnlyList<string> Names(ListPage page) => [.. page.Clients.Select(c => $"{c.FirstName} {c.LastName}")];

    private sealed record ListPage(List<Row> Clients, int Page, int PageSize, bool HasMore);

    private sealed record Row(Guid ClientId, string FirstName, string LastName, string Email, string Status, DateTimeOffset? InvitationExpiresAt,
        int OpenTasks, int OverdueTasks, int CompletedTasks, DateTimeOffset? LastUpdatedAt, string? LastUpdated);
}

using System.Text.Json;
using Alba;
using Marten;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Time;
using Portal.Contracts;
using Portal.Intake.Dates;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

/// <summary>
/// The pages of workflows v2's dates through the real host (#30 item 1): the builder's assign form with dates, the
/// assignment page's date form, the owner's named dates page, and the preview's dates; each through the same slice as
/// the API, a date that cannot be read refused beside its field.
/// </summary>
public sealed class WorkflowDatePageTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    private static readonly TimeZoneInfo NewYork = PortalTime.Find("America/New_York")!;

    /// <summary>"Add your insurance": open 7 days before the first session, due 2 days before it.</summary>
    private static TaskSpec InsuranceBeforeFirstSession => new("insurance", TaskKind.AddInsurance)
    {
        Opens = new DateAnchor("firstSession", -7), Due = new DateAnchor("firstSession", -2),
    };

    [Fact]
    public async Task The_builder_s_assign_form_refuses_a_date_that_is_not_a_time_beside_it_keeping_the_ticks_then_assigns_with_the_date()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider, "Wren");
        var workflowId = await PublishedAsync(provider, new StageSpec("Before the first session", [InsuranceBeforeFirstSession]));
        var builder = $"/console/workflows/{workflowId}";
        var opened = await Host.OpenPageAsync(provider, builder);
        opened.Html.ShouldContain("name=\"dates[firstSession]\"");

        var refused = await Host.Scenario(s => s.PostForm(provider, opened, $"{builder}/assign", "",
            new() { ["clientIds"] = client.ToString(), ["dates[firstSession]"] = "next Tuesday" }));

        refused.Context.Response.StatusCode.ShouldBe(400);
        var html = await refused.ReadAsTextAsync();
        html.ShouldContain("id=\"assign-date-firstSession-error\"");
        html.ShouldContain("Give a practice-local date and time such as 2027-01-15T15:00 (in America/New_York)");
        html.ShouldContain("aria-invalid=\"true\"");
        html.ShouldContain("value=\"next Tuesday\"");
        html.ShouldMatch($"value=\"{client}\"\\s+checked=\"checked\"");
        (await AssignmentsOfAsync(client)).ShouldBeEmpty();

        var first = Today().AddDays(20);
        var assigned = await Host.Scenario(s => s.PostForm(provider, opened, $"{builder}/assign", "",
            new() { ["clientIds"] = client.ToString(), ["dates[firstSession]"] = $"{first:yyyy-MM-dd}T15:00" }));

        assigned.Context.Response.StatusCode.ShouldBe(302);
        var assignment = (await AssignmentsOfAsync(client)).ShouldHaveSingleItem();
        assignment.Dates["firstSession"].Local.ShouldBe($"{first:yyyy-MM-dd}T15:00");
        var task = assignment.Tasks.ShouldHaveSingleItem();
        task.Status.ShouldBe(AssignmentTaskStatus.Scheduled);
        PortalTime.Day(task.OpensAt!.Value, NewYork).ShouldBe(first.AddDays(-7));
    }

    [Fact]
    public async Task The_assignment_page_sets_the_first_session_date_through_the_slice_audited_and_says_when_the_waiting_task_opens()
    {
        var provider = await Kit.NewProviderAsync();
        var frontDesk = await Host.NewMemberAsync(provider, StaffRole.FrontDesk);
        var client = await Kit.NewClientAsync(provider, "Wren");
        var workflowId = await PublishedAsync(provider, new StageSpec("Before the first session", [InsuranceBeforeFirstSession]));
        var (_, ids) = await AssignAsync(provider, workflowId, client);
        var page = $"/console/assignments/{ids[0]}";
        var opened = await Host.OpenPageAsync(frontDesk, page);
        opened.Html.ShouldContain("Waiting for the first-session date.");
        opened.Html.ShouldContain("Opens 7 days before the first session; due 2 days before the first session");

        var refused = await Host.Scenario(s => s.PostForm(frontDesk, opened, page, "Date",
            new() { ["name"] = "firstSession", ["value"] = "2027-13-45T99:00" }));
        refused.Context.Response.StatusCode.ShouldBe(400);
        var html = await refused.ReadAsTextAsync();
        html.ShouldContain("id=\"date-firstSession-error\"");
        html.ShouldContain("value=\"2027-13-45T99:00\"");
        (await Kit.EventsAsync(ids[0])).OfType<AssignmentDateSet>().ShouldBeEmpty();

        var first = Today().AddDays(20);
        var (_, set) = await TrackedScenario(s => s.PostForm(frontDesk, opened, page, "Date",
            new() { ["name"] = "firstSession", ["value"] = $"{first:yyyy-MM-dd}T15:00" }));
        set.Context.Response.StatusCode.ShouldBe(302);

        (await Kit.EventsAsync(ids[0])).OfType<AssignmentDateSet>().ShouldHaveSingleItem().SetBy.DisplayName.ShouldBe(frontDesk.Name);
        var shown = await Host.OpenPageAsync(frontDesk, page);
        shown.Html.ShouldContain($"Opens {PortalTime.Date(first.AddDays(-7))}");
        shown.Html.ShouldContain($"{PortalTime.Date(first)}, 3:00 PM");
        await using var session = OpenSession();
        (await session.Query<AuditEntry>().Where(a => a.Action == "intake.assignment.date" && a.RecordId == ids[0].ToString()).CountAsync())
            .ShouldBe(1);
    }

    [Fact]
    public async Task The_named_dates_page_lets_the_owner_add_one_and_front_desk_only_read_them()
    {
        var owner = await Kit.NewProviderAsync();
        var frontDesk = await Host.NewMemberAsync(owner, StaffRole.FrontDesk);
        const string page = "/console/workflows/dates";

        var read = await Host.OpenPageAsync(frontDesk, page);
        read.Html.ShouldContain("First session");
        read.Html.ShouldNotContain("Add date");
        var forbidden = await Host.Scenario(s => s.PostForm(frontDesk, read, page, "Add", new() { ["label"] = "Intake call" }));
        // Refused as every page refuses a role: to the "not allowed" page, nothing saved.
        forbidden.Context.Response.StatusCode.ShouldBe(302);
        forbidden.Context.Response.Headers.Location.ToString().ShouldContain("/forbidden");
        await using (var before = OpenSession())
            (await before.LoadAsync<PracticeWorkflowDates>(owner.PracticeId)).ShouldBeNull();

        var opened = await Host.OpenPageAsync(owner, page);
        var added = await Host.Scenario(s => s.PostForm(owner, opened, page, "Add", new() { ["label"] = "Intake call" }));
        added.Context.Response.StatusCode.ShouldBe(302);

        await using var session = OpenSession();
        var dates = (await session.LoadAsync<PracticeWorkflowDates>(owner.PracticeId)).ShouldNotBeNull();
        dates.Dates.ShouldBe([new NamedDate("intakeCall", "Intake call")]);
        (await session.Query<AuditEntry>().Where(a => a.Action == "intake.dates.change" && a.RecordId == owner.PracticeId.ToString())
            .CountAsync()).ShouldBe(1);
        (await Host.OpenPageAsync(frontDesk, page)).Html.ShouldContain("Intake call");
    }

    [Fact]
    public async Task The_preview_gives_the_day_a_task_opens_from_a_first_session_date_waits_without_one_and_refuses_a_bad_one()
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Dated",
            [new StageSpec("Before the first session", [InsuranceBeforeFirstSession with { Repeat = new RepeatSpec(2, UntilDischarge: true) }])]));
        var first = Today().AddDays(20);

        var dated = await PreviewAsync(provider, workflowId, new { dates = new { firstSession = $"{first:yyyy-MM-dd}T15:00" } }, 200);
        var task = dated.GetProperty("stages")[0].GetProperty("tasks")[0];
        task.GetProperty("opensOn").GetString().ShouldBe($"{first.AddDays(-7):yyyy-MM-dd}");
        task.GetProperty("dueOn").GetString().ShouldBe($"{first.AddDays(-2):yyyy-MM-dd}");
        task.GetProperty("schedule").GetString().ShouldBe("Opens 7 days before the first session; due 2 days before the first session");
        task.GetProperty("repeat").GetString().ShouldBe("every 2 weeks until discharge");
        dated.GetProperty("dates")[0].GetProperty("name").GetString().ShouldBe("firstSession");

        var undated = await PreviewAsync(provider, workflowId, new { }, 200);
        undated.GetProperty("stages")[0].GetProperty("tasks")[0].GetProperty("waiting").GetString()
            .ShouldBe("Waiting for the first-session date.");

        var refused = await PreviewAsync(provider, workflowId, new { dates = new { firstSession = "soon" } }, 400);
        refused.GetProperty("errors").TryGetProperty("dates.firstSession", out _).ShouldBeTrue(refused.ToString());
    }

    private async Task<JsonElement> PreviewAsync(ProviderActor provider, Guid workflowId, object body, int status)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Json(body).ToUrl($"/api/workflows/{workflowId}/preview");
            s.StatusCodeShouldBe(status);
        });
        return await IntakeTestKit.ReadJsonAsync(result);
    }

    private async Task<Guid> PublishedAsync(ProviderActor provider, params StageSpec[] stages)
    {
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Dated intake", stages));
        await PublishAsync(provider, workflowId);
        return workflowId;
    }

    private async Task<IReadOnlyList<IntakeAssignment>> AssignmentsOfAsync(Guid clientId)
    {
        await using var session = OpenSession();
        return await session.Query<IntakeAssignment>().Where(a => a.ClientId == clientId).ToListAsync();
    }

    private DateOnly Today() => PortalTime.Day(Clock.GetUtcNow(), NewYork);
}

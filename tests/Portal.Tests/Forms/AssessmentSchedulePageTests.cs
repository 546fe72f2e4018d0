using Alba;
using Marten;
using Portal.Contracts;
using Portal.Forms.Assessments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Forms;

public sealed class AssessmentSchedulePageTests(PortalFixture fixture) : FormsTest(fixture)
{
    [Fact]
    public async Task A_provider_asks_for_a_GAD7_every_two_weeks_on_the_console_page_and_stops_it_again()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var page = $"/console/clients/{client.ClientId}/assessment-schedules";

        var empty = await Open(provider, page);
        empty.Html.ShouldContain("Recurring assessments for Casey Client");
        empty.Html.ShouldContain("None. Ask for one below.");

        var (tracked, asked) = await TrackedScenario(s =>
            PostForm(s, provider, page, "Schedule", new() { ["instrument"] = "gad7", ["everyWeeks"] = "2" }, empty));
        asked.Context.Response.StatusCode.ShouldBe(302);
        var request = Published<AssessmentRequested>(tracked).ShouldHaveSingleItem();
        request.ClientId.ShouldBe(client.ClientId);
        request.Instrument.ShouldBe("gad7");
        request.EveryWeeks.ShouldBe(2);

        var listed = await Open(provider, page);
        listed.Html.ShouldContain("GAD-7 every 2 weeks; asked 1 time, next on " + Portal.BuildingBlocks.Time.PortalTime.Date(Clock.GetUtcNow().AddDays(14), Portal.BuildingBlocks.Time.PortalTime.DefaultZone));
        var clientView = await (await Send(client, HttpMethod.Get, "/portal/assessments", null, 200)).ReadAsTextAsync();
        clientView.ShouldContain("Requested by your provider");

        var refused = await Host.Scenario(s =>
            PostForm(s, provider, page, "Schedule", new() { ["instrument"] = "gad7", ["everyWeeks"] = "0" }, listed));
        refused.Context.Response.StatusCode.ShouldBe(400);
        (await refused.ReadAsTextAsync()).ShouldContain("role=\"alert\"");

        Guid scheduleId;
        await using (var session = OpenSession())
            scheduleId = (await session.Query<AssessmentSchedule>().Where(s => s.ClientId == client.ClientId && s.Active).ToListAsync())
                .ShouldHaveSingleItem().Id;
        var stopped = await Host.Scenario(s => PostForm(s, provider, page, "Stop", [], listed, $"scheduleId={scheduleId}"));
        stopped.Context.Response.StatusCode.ShouldBe(302);
        await using (var session = OpenSession())
            (await session.LoadAsync<AssessmentSchedule>(scheduleId))!.Active.ShouldBeFalse();
        (await (await Send(provider, HttpMethod.Get, page, null, 200)).ReadAsTextAsync()).ShouldContain("None. Ask for one below.");

        var stranger = await Host.NewProviderAsync();
        await Send(stranger, HttpMethod.Get, page, null, 404);
    }
}

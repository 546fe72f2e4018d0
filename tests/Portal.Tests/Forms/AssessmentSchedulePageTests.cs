using System.Text.RegularExpressions;
using Alba;
using Marten;
using Portal.Contracts;
using Portal.Forms.Assessments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Forms;

public sealed partial class AssessmentSchedulePageTests(PortalFixture fixture) : FormsTest(fixture)
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

        var (tracked, asked) = await TrackedScenario(s => PostForm(s, provider, page, "Schedule", new() { ["instrument"] = "gad7", ["everyWeeks"] = "2" }, empty));
        asked.Context.Response.StatusCode.ShouldBe(302);
        var request = Messages<AssessmentRequested>(tracked).ShouldHaveSingleItem();
        request.ClientId.ShouldBe(client.ClientId);
        request.Instrument.ShouldBe("gad7");
        request.EveryWeeks.ShouldBe(2);

        var listed = await Open(provider, page);
        listed.Html.ShouldContain("GAD-7 every 2 weeks; asked 1 time, next on " + Clock.GetUtcNow().AddDays(14).UtcDateTime.ToString("yyyy-MM-dd"));
        var clientView = await (await Send(client, HttpMethod.Get, "/portal/assessments", null, 200)).ReadAsTextAsync();
        clientView.ShouldContain("Requested by your provider");

        var refused = await Host.Scenario(s => PostForm(s, provider, page, "Schedule", new() { ["instrument"] = "gad7", ["everyWeeks"] = "0" }, listed));
        refused.Context.Response.StatusCode.ShouldBe(400);
        (await refused.ReadAsTextAsync()).ShouldContain("role=\"alert\"");

        Guid scheduleId;
        await using (var session = OpenSession())
            scheduleId = (await session.Query<AssessmentSchedule>().Where(s => s.ClientId == client.ClientId && s.Active).ToListAsync()).ShouldHaveSingleItem().Id;
        var stopped = await Host.Scenario(s => PostForm(s, provider, page, "Stop", [], listed, $"scheduleId={scheduleId}"));
        stopped.Context.Response.StatusCode.ShouldBe(302);
        await using (var session = OpenSession())
            (await session.LoadAsync<AssessmentSchedule>(scheduleId))!.Active.ShouldBeFalse();
        (await (await Send(provider, HttpMethod.Get, page, null, 200)).ReadAsTextAsync()).ShouldContain("None. Ask for one below.");

        var stranger = await Host.NewProviderAsync();
        await Send(stranger, HttpMethod.Get, page, null, 404);
    }

    /// <summary>Posts the page's form like a browser: the antiforgery token from the page and its cookie.</summary>
    private static void PostForm(Scenario s, ProviderActor provider, string page, string handler, Dictionary<string, string> fields,
        (string Html, string Antiforgery) opened, string? query = null)
    {
        fields["__RequestVerificationToken"] = TokenPattern().Match(opened.Html).Groups[1].Value;
        s.WithRequestHeader("Cookie", $"{provider.Cookie}; {opened.Antiforgery}");
        var send = s.Post.FormData(fields).ToUrl(page).QueryString("handler", handler);
        foreach (var pair in (query ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)))
            send.QueryString(pair[0], pair[1]);
        s.IgnoreStatusCode();
    }

    private async Task<(string Html, string Antiforgery)> Open(ProviderActor provider, string page)
    {
        var get = await Send(provider, HttpMethod.Get, page, null, 200);
        var cookie = get.Context.Response.Headers.SetCookie.Select(c => c!.Split(';')[0]).First(c => c.StartsWith("portal.antiforgery=", StringComparison.Ordinal));
        return (await get.ReadAsTextAsync(), cookie);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

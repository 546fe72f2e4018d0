using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// What the first-hour walk found, each seen as a person would: the client's task buttons look like buttons, a completed
/// task stays under "Done", the provider's charts show whole (and a sentence instead of an empty chart), the "Other"
/// insurer's name only when Other is chosen (the server still asks for it without script), and the client list read
/// as one card per client on a phone. Screenshots at 1280x800 and 390x844 under TestResults/screenshots.
/// </summary>
public sealed class WalkPolishBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_requested_assessment_is_a_padded_button_stays_under_Done_once_answered_and_its_chart_shows_whole() =>
        await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var console = await people.Provider.NewPageAsync();
        console.SetDefaultNavigationTimeout(90_000);
        console.SetDefaultTimeout(30_000);
        await console.SetViewportSizeAsync(1280, 800);

        // Nothing answered yet: a sentence, not two empty charts.
        await console.GotoAsync($"/console/clients/{people.ClientId}");
        var assessments = console.GetByRole(AriaRole.Region, new() { Name = "Assessments", Exact = true });
        await Expect(assessments).ToContainTextAsync("No assessments completed yet.");
        (await assessments.Locator("svg").CountAsync()).ShouldBe(0);

        await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(people.Provider, "POST",
            $"/api/clients/{people.ClientId}/requests", new { kind = "CompleteAssessment", subjectId = "phq9" }, 201));

        // The client's task is a button with room around its words.
        var page = await people.Client.NewPageAsync();
        page.SetDefaultNavigationTimeout(90_000);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/portal/tasks");
        var task = page.Locator("main a.button").First;
        var title = (await task.InnerTextAsync()).Trim();
        title.ShouldContain("PHQ-9");
        var padding = await task.EvaluateAsync<double[]>(
            "a => { const s = getComputedStyle(a); return [parseFloat(s.paddingLeft), parseFloat(s.paddingRight)]; }");
        padding.ShouldAllBe(p => p >= 12);
        await ActionPagesBrowserTests.ShotsAsync(page, "client-tasks-open");

        await task.ClickAsync();
        for (var item = 0; item < 9; item++)
            await page.Locator($"input[name='Answers[{item}]'][value='{(item < 3 ? 1 : 0)}']").CheckAsync();
        await BrowserJourney.TrackedAsync(Fixture, () => page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync());

        // Done, and still there: under "Done" with the day it was done.
        await page.GotoAsync("/portal/tasks");
        var done = page.GetByRole(AriaRole.Region, new() { Name = "Done" });
        await Expect(done.Locator("li")).ToHaveCountAsync(1);
        await Expect(done).ToContainTextAsync(title);
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        await ActionPagesBrowserTests.ShotsAsync(page, "client-tasks-done");

        // The provider's chart: every label inside the drawing, and a sentence for the instrument without answers.
        await console.GotoAsync($"/console/clients/{people.ClientId}");
        var chart = assessments.Locator("svg.trend-chart");
        await Expect(chart).ToHaveCountAsync(1);
        var cut = await chart.EvaluateAsync<string[]>("""
            svg => [...svg.querySelectorAll('text')]
              .filter(t => { const b = t.getBBox(); return b.x < 0 || b.x + b.width > svg.viewBox.baseVal.width; })
              .map(t => t.textContent)
            """);
        cut.ShouldBeEmpty();
        await Expect(assessments).ToContainTextAsync("No GAD-7 results yet.");
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();
        await assessments.ScrollIntoViewIfNeededAsync();
        await ActionPagesBrowserTests.ShotsAsync(console, "profile-chart");
    });

    [Fact]
    public async Task The_other_insurer_s_name_shows_only_for_Other_and_without_script_the_server_still_asks_for_it() =>
        await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var page = await people.Client.NewPageAsync();
        page.SetDefaultNavigationTimeout(90_000);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/portal/insurance");
        var primary = page.Locator("#primary-plan");
        var payer = primary.GetByLabel("Insurance company", new() { Exact = true });
        var otherName = primary.GetByLabel("Insurance company name (only if you chose Other)");
        await Expect(otherName).ToBeHiddenAsync();
        await payer.SelectOptionAsync("other");
        await Expect(otherName).ToBeVisibleAsync();
        await ActionPagesBrowserTests.ShotsAsync(page, "insurance-other-chosen");
        await payer.SelectOptionAsync("cigna");
        await Expect(otherName).ToBeHiddenAsync();

        // Without script the field is there, and choosing Other without a name is refused beside it.
        await using var plain = await BrowserJourney.SameSessionAsync(Fixture, people.Client, javaScript: false);
        var noScript = await plain.NewPageAsync();
        noScript.SetDefaultNavigationTimeout(90_000);
        await noScript.GotoAsync("/portal/insurance");
        var form = noScript.Locator("#primary-plan");
        await Expect(form.GetByLabel("Insurance company name (only if you chose Other)")).ToBeVisibleAsync();
        await form.GetByLabel("Insurance company", new() { Exact = true }).SelectOptionAsync("other");
        await form.GetByLabel("Plan name").FillAsync("Open Access Plus");
        await form.GetByLabel("Member ID").FillAsync("U1234567801");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save primary insurance" }).ClickAsync();
        await Expect(noScript.Locator("#primary-plan .other-payer .field-error"))
            .ToHaveTextAsync("Type the name of your insurance company as it appears on your card.");
        (await noScript.Locator("#primary-plan").GetByLabel("Plan name").InputValueAsync()).ShouldBe("Open Access Plus");
    });

    [Fact]
    public async Task The_client_list_is_one_card_per_client_on_a_phone_and_a_table_on_a_desktop() => await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture, "Alexandra", "Montgomery-Whitfield");
        var console = await people.Provider.NewPageAsync();
        console.SetDefaultNavigationTimeout(90_000);
        await console.SetViewportSizeAsync(390, 844);
        await console.GotoAsync("/console/clients");
        var row = console.Locator($"tr[data-client='{people.ClientId}']");
        await Expect(row).ToBeVisibleAsync();

        // Nothing to scroll sideways: each cell on its own line, named by its column.
        var list = console.Locator(".table-scroll").First;
        (await list.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth")).ShouldBeTrue("the client list scrolls sideways on a phone");
        var name = await row.Locator("td").First.BoundingBoxAsync();
        var email = await row.Locator("td[data-label='Email']").BoundingBoxAsync();
        email!.Y.ShouldBeGreaterThanOrEqualTo(name!.Y + name.Height - 1);
        await Expect(row.Locator("td[data-label='Email']")).ToContainTextAsync(people.ClientEmail);
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();
        await ActionPagesBrowserTests.ShotsAsync(console, "client-list");

        // On a desktop it is still a table: the cells side by side.
        await console.SetViewportSizeAsync(1280, 800);
        name = await row.Locator("td").First.BoundingBoxAsync();
        email = await row.Locator("td[data-label='Email']").BoundingBoxAsync();
        email!.Y.ShouldBe(name!.Y, 1);
        email.X.ShouldBeGreaterThan(name.X);
    });
}

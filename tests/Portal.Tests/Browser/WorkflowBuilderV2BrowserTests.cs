using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// The v2 parts of a workflow built on the builder page with plain forms, at desktop and phone width: a stage with two
/// tracks (a form then a PHQ-9; insurance only when the client bills insurance), a task opening 7 days before the
/// first session and due 2 days before, a PHQ-9 repeating every 2 weeks until discharge, how the stage finishes and
/// what starts the workflow by itself. Each is read back in words on the page and in the saved draft.
/// </summary>
public sealed class WorkflowBuilderV2BrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private static object IntakeSchema => new
    {
        sections = new object[]
        {
            new { key = "about", title = "About you", fields = new object[]
            {
                new { key = "has_insurance", label = "Do you have health insurance?", type = "YesNo", required = true },
            } },
        },
    };

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task A_provider_builds_tracks_dates_a_billing_condition_and_a_recurring_PHQ9_on_the_page(int width, int height) =>
        await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var created = await BrowserJourney.SendAsync(
            people.Provider, "POST", "/api/forms", new { title = "New client intake", schema = IntakeSchema }, 201);
        var formId = created.GetProperty("formId").GetGuid();
        await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(people.Provider, "POST", $"/api/forms/{formId}/publish",
            new { revision = created.GetProperty("revision").GetInt32() }, 200));
        var console = await people.Provider.NewPageAsync();
        await console.SetViewportSizeAsync(width, height);
        var csp = BrowserJourney.WatchCsp(console);

        await console.GotoAsync("/console/workflows");
        var create = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "New workflow" }) });
        await create.GetByLabel("Name", new() { Exact = true }).FillAsync("Adult intake");
        await create.GetByLabel("First stage").FillAsync("Before the first session");
        await create.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Enroll in autopay" });
        await create.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await Expect(console).ToHaveURLAsync(new Regex("/console/workflows/[0-9a-f-]{36}$"));
        var workflowId = console.Url.Split('/').Last();
        var stage = Stage(console, "Stage 1: Before the first session");

        // A track "Forms" with the intake form first.
        await AddTrackAsync(console, stage, "Forms", "Complete an intake form", "New client intake");
        var forms = Track(console, "Track 1: Forms");
        await Expect(forms.Locator("li[data-key=form]")).ToContainTextAsync("Complete an intake form");
        await CheckAsync(console, $"v2-1-track-{width}");

        // Then a PHQ-9 repeating every 2 weeks: without saying when it ends it is refused beside the field, as typed.
        await forms.GetByText("Add a task to Forms").ClickAsync();
        var addToForms = FormWith(forms, "Add to track");
        await addToForms.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Complete an assessment" });
        await addToForms.GetByLabel("Document, form or assessment (for those kinds of task)")
            .SelectOptionAsync(new SelectOptionValue { Label = "PHQ-9" });
        await addToForms.GetByLabel("Repeat every (weeks)").FillAsync("2");
        (await PostAsync(console, () => addToForms.GetByRole(AriaRole.Button, new() { Name = "Add to track" }).ClickAsync())).ShouldBe(400);
        await Expect(console.GetByRole(AriaRole.Alert)).ToContainTextAsync("Say when the repeat ends");
        await Expect(addToForms.GetByLabel("Task", new() { Exact = true })).ToHaveValueAsync("CompleteAssessment");
        await Expect(addToForms.GetByLabel("Document, form or assessment (for those kinds of task)")).ToHaveValueAsync("phq9");
        await Expect(addToForms.GetByLabel("Repeat every (weeks)")).ToHaveValueAsync("2");
        var untilDischarge = addToForms.GetByLabel("Until discharge");
        await Expect(untilDischarge).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(untilDischarge).ToHaveAccessibleDescriptionAsync(
            "Say when the repeat ends: a number of times, until discharge, or both.");
        await CheckAsync(console, $"v2-2-repeat-refused-{width}");
        await untilDischarge.CheckAsync();
        (await PostAsync(console, () => addToForms.GetByRole(AriaRole.Button, new() { Name = "Add to track" }).ClickAsync())).ShouldBe(302);
        var phq9 = forms.Locator("li[data-key=phq9]");
        await Expect(phq9).ToContainTextAsync("then");
        await Expect(phq9).ToContainTextAsync("Repeats: every 2 weeks until discharge");
        (await Keys(forms)).ShouldBe(["form", "phq9"]);

        // Up and down within the track.
        await forms.GetByRole(AriaRole.Button, new() { Name = "Move phq9 up" }).ClickAsync();
        await Expect(forms.GetByRole(AriaRole.Button, new() { Name = "Move phq9 up" })).ToBeDisabledAsync();
        (await Keys(forms)).ShouldBe(["phq9", "form"]);
        await forms.GetByRole(AriaRole.Button, new() { Name = "Move phq9 down" }).ClickAsync();
        await Expect(forms.GetByRole(AriaRole.Button, new() { Name = "Move phq9 down" })).ToBeDisabledAsync();
        (await Keys(forms)).ShouldBe(["form", "phq9"]);

        // A second track: insurance, only when the client bills insurance.
        await AddTrackAsync(console, stage, "Insurance", "Add insurance", null);
        var insuranceTrack = Track(console, "Track 2: Insurance");
        var insurance = insuranceTrack.Locator("li[data-key=insurance]");
        await insurance.GetByText("Edit insurance").ClickAsync();
        await insurance.GetByLabel("Only when", new() { Exact = true })
            .SelectOptionAsync(new SelectOptionValue { Label = "client bills insurance" });
        await Expect(insurance.GetByLabel("Comparison")).ToBeHiddenAsync();
        await CheckAsync(console, $"v2-3-billing-condition-{width}");
        await insurance.GetByRole(AriaRole.Button, new() { Name = "Save task" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved the changes to \u201cinsurance\u201d.");
        await Expect(insurance).ToContainTextAsync("Only when client bills insurance");

        // Autopay opens 7 days before the first session and is due 2 days before.
        var autopay = console.Locator("li[data-key=autopay]");
        await autopay.GetByText("Edit autopay").ClickAsync();
        await WorkflowBuilderSteps.FillDaysBeforeAsync(autopay, "the first session", opensDaysBefore: 7, dueDaysBefore: 2);
        await CheckAsync(console, $"v2-4-dates-{width}");
        await autopay.GetByRole(AriaRole.Button, new() { Name = "Save task" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved the changes to \u201cautopay\u201d.");
        await Expect(autopay).ToContainTextAsync("Opens: 7 days before the first session");
        await Expect(autopay).ToContainTextAsync("Due: 2 days before the first session");

        // The stage finishes when any one track is done; the workflow starts by itself when billing turns to insurance.
        await stage.GetByLabel("Finish this stage when").SelectOptionAsync(new SelectOptionValue { Label = "any one track is done" });
        await stage.GetByRole(AriaRole.Button, new() { Name = "Save when stage 1 is finished" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved when stage 1 is finished.");
        await Expect(stage.GetByLabel("Finish this stage when")).ToHaveValueAsync("Any");
        await console.GetByLabel("when a client's billing changes to insurance").CheckAsync();
        await console.GetByRole(AriaRole.Button, new() { Name = "Save when it starts" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved when the workflow starts by itself.");
        await Expect(console.GetByLabel("when a client's billing changes to insurance")).ToBeCheckedAsync();
        await Expect(console.GetByLabel("when a client is added")).Not.ToBeCheckedAsync();

        // Tracks side by side on a desktop, one under the other on a phone.
        var first = (await forms.BoundingBoxAsync())!;
        var second = (await insuranceTrack.BoundingBoxAsync())!;
        if (width >= 1000)
        {
            second.Y.ShouldBe(first.Y, 1);
            second.X.ShouldBeGreaterThan(first.X + first.Width - 1);
        }
        else
        {
            second.Y.ShouldBeGreaterThanOrEqualTo(first.Y + first.Height);
        }
        await CheckAsync(console, $"v2-5-built-{width}");

        // The saved draft says the same.
        var draft = (await BrowserJourney.SendAsync(people.Provider, "GET", $"/api/workflows/{workflowId}", null, 200)).GetProperty("latest");
        draft.GetProperty("triggers").EnumerateArray().Select(t => t.GetString()).ShouldBe(["billingBecameInsurance"]);
        var saved = draft.GetProperty("stages")[0];
        saved.GetProperty("join").GetString().ShouldBe("Any");
        var savedAutopay = saved.GetProperty("tasks")[0];
        savedAutopay.GetProperty("key").GetString().ShouldBe("autopay");
        Anchor(savedAutopay.GetProperty("opens")).ShouldBe(("firstSession", -7));
        Anchor(savedAutopay.GetProperty("due")).ShouldBe(("firstSession", -2));
        var tracks = saved.GetProperty("tracks");
        tracks.EnumerateArray().Select(t => t.GetProperty("name").GetString()).ShouldBe(["Forms", "Insurance"]);
        tracks[0].GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("key").GetString()).ShouldBe(["form", "phq9"]);
        var repeat = tracks[0].GetProperty("tasks")[1].GetProperty("repeat");
        repeat.GetProperty("everyWeeks").GetInt32().ShouldBe(2);
        repeat.GetProperty("untilDischarge").GetBoolean().ShouldBeTrue();
        var when = tracks[1].GetProperty("tasks")[0].GetProperty("when");
        var condition = when.GetProperty("conditions")[0];
        condition.GetProperty("attribute").GetString().ShouldBe("billing");
        condition.GetProperty("value").GetString().ShouldBe("insurance");
        csp.ShouldBeEmpty();
    });

    private static (string?, int) Anchor(JsonElement anchor) =>
        (anchor.GetProperty("date").GetString(), anchor.GetProperty("offsetDays").GetInt32());

    private static async Task AddTrackAsync(IPage console, ILocator stage, string name, string kind, string? subject)
    {
        await stage.GetByText("Add a track to stage 1").ClickAsync();
        var form = FormWith(stage, "Add track");
        await form.GetByLabel("Track name").FillAsync(name);
        await form.GetByLabel("First task of the track").SelectOptionAsync(new SelectOptionValue { Label = kind });
        if (subject is not null)
            await form.GetByLabel("Its document, form or assessment").SelectOptionAsync(new SelectOptionValue { Label = subject });
        (await PostAsync(console, () => form.GetByRole(AriaRole.Button, new() { Name = "Add track" }).ClickAsync())).ShouldBe(302);
        await Expect(console.GetByRole(AriaRole.Heading, new() { Name = $": {name}" })).ToBeVisibleAsync();
    }

    private static Task<string[]> Keys(ILocator track) =>
        track.Locator("ol > li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.key)");

    private async Task CheckAsync(IPage page, string screenshot)
    {
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots", "builder-v2");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{screenshot}.png"), FullPage = true });
    }

    private static ILocator Stage(IPage page, string heading) =>
        page.Locator("section.stage", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = heading }) });

    private static ILocator Track(IPage page, string heading) =>
        page.Locator("section.track", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = heading }) });

    private static ILocator FormWith(ILocator scope, string button) =>
        scope.Locator("form", new() { Has = scope.Page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }) });

    /// <summary>Presses what posts the form and answers the status of the POST (400 for a refusal, 302 after a save).</summary>
    private static async Task<int> PostAsync(IPage page, Func<Task> press)
    {
        var response = await page.RunAndWaitForResponseAsync(press, r => r.Request.Method == "POST");
        await page.WaitForLoadStateAsync();
        return response.Status;
    }
}

using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

public sealed class FormsBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string HistoryForm = """
        {
          "sections": [
            {
              "key": "about", "title": "About you",
              "fields": [
                { "key": "reason", "label": "What brings you to therapy?", "type": "LongText", "required": true },
                { "key": "prior_therapy", "label": "Have you been in therapy before?", "type": "YesNo", "required": true }
              ]
            },
            {
              "key": "earlier", "title": "Earlier therapy", "showWhen": { "field": "prior_therapy", "value": "yes" },
              "fields": [
                { "key": "prior_provider", "label": "Who did you see?", "type": "ShortText", "required": true }
              ]
            }
          ]
        }
        """;

    /// <summary>Version 2 asks for a phone number as well; a page opened on version 1 is still judged by version 1.</summary>
    private const string HistoryFormVersionTwo = """
        {
          "sections": [
            {
              "key": "about", "title": "About you",
              "fields": [
                { "key": "reason", "label": "What brings you to therapy?", "type": "LongText", "required": true },
                { "key": "phone", "label": "Phone number", "type": "ShortText", "required": true },
                { "key": "prior_therapy", "label": "Have you been in therapy before?", "type": "YesNo", "required": true }
              ]
            },
            {
              "key": "earlier", "title": "Earlier therapy", "showWhen": { "field": "prior_therapy", "value": "yes" },
              "fields": [
                { "key": "prior_provider", "label": "Who did you see?", "type": "ShortText", "required": true }
              ]
            }
          ]
        }
        """;

    [Fact]
    public async Task A_client_signs_a_policy_fills_a_conditional_form_and_answers_a_PHQ9_and_the_provider_sees_all_three() => await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var console = await people.Provider.NewPageAsync();

        // The provider writes and publishes a policy and an intake form, then requests both and a PHQ-9.
        await console.GotoAsync("/console/documents");
        await console.GetByLabel("Title", new() { Exact = true }).FillAsync("Practice policies");
        await console.GetByLabel("Text (Markdown)").FillAsync("## Cancellations\n\nCancel **24 hours** ahead or the session is charged.");
        await console.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await Expect(console).ToHaveURLAsync(new Regex("/console/documents/[0-9a-f-]{36}$"));
        await PublishAsync(console, "Publish as version 1", "Published version 1.");

        await console.GotoAsync("/console/forms");
        await console.GetByLabel("Title", new() { Exact = true }).FillAsync("Health history");
        await console.GetByLabel("Sections and fields (JSON)").FillAsync(HistoryForm);
        await console.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await Expect(console).ToHaveURLAsync(new Regex("/console/forms/[0-9a-f-]{36}$"));
        var formUrl = console.Url;
        await PublishAsync(console, "Publish as version 1", "Published version 1.");

        await console.GotoAsync($"/console/clients/{people.ClientId}");
        await console.GetByRole(AriaRole.Link, new() { Name = "Request a document, form, assessment or payment detail" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Heading, new() { Name = "Ask Casey Client for something" })).ToBeVisibleAsync();
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();
        await RequestAsync(console, "Sign a document", "Practice policies", "Sign: Practice policies");
        await RequestAsync(console, "Complete an intake form", "Health history", "Complete the form: Health history");
        await RequestAsync(console, "Complete an assessment", "PHQ-9", "Complete the PHQ-9 depression questionnaire");

        // The client, on a phone-sized screen, finds the three requests under My tasks.
        var page = await people.Client.NewPageAsync();
        await page.SetViewportSizeAsync(375, 740);
        var csp = BrowserJourney.WatchCsp(page);
        await page.GotoAsync("/portal/tasks");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign: Practice policies" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Complete the form: Health history" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Complete the PHQ-9 depression questionnaire" })).ToBeVisibleAsync();

        // Sign: a typed name and the consent, both required.
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign: Practice policies" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign this document" })).ToBeVisibleAsync();
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Cancel 24 hours ahead");
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        var shownHash = (await page.Locator("code.hash").InnerTextAsync()).Trim();
        shownHash.ShouldMatch("^[0-9a-f]{64}$");
        await page.GetByLabel("I agree to sign electronically.").CheckAsync();
        await page.GetByLabel("Type your full name to sign").FillAsync("Casey Client");
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Electronic signature" })).ToBeVisibleAsync();
        });
        (await page.Locator(".signature-block").InnerTextAsync()).ShouldContain(shownHash);

        // The form: the second section appears only after "yes", and its required field is enforced by the server.
        await page.GotoAsync("/portal/tasks");
        await page.GetByRole(AriaRole.Link, new() { Name = "Complete the form: Health history" }).ClickAsync();
        var earlier = page.GetByRole(AriaRole.Heading, new() { Name = "Earlier therapy" });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "About you" })).ToBeVisibleAsync();
        await Expect(earlier).ToBeHiddenAsync();
        (await page.Locator("script:not([src])").CountAsync()).ShouldBe(0);
        (await page.Locator("script[src='/_content/Portal.Forms/forms.js']").CountAsync()).ShouldBe(1);
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        await page.GetByLabel("What brings you to therapy?").FillAsync("Trouble sleeping since the move.");
        await page.GetByLabel("No", new() { Exact = true }).CheckAsync();
        await Expect(earlier).ToBeHiddenAsync();
        await page.GetByLabel("Yes", new() { Exact = true }).CheckAsync();
        await Expect(earlier).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Who did you see? (required)")).ToBeEnabledAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("'Who did you see?' is required.");
        await Expect(earlier).ToBeVisibleAsync();
        await Expect(page.GetByLabel("What brings you to therapy?")).ToHaveValueAsync("Trouble sleeping since the move.");
        await page.GetByLabel("Who did you see? (required)").FillAsync("Dr. Rivera");
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thank you" })).ToBeVisibleAsync();
        });

        // The PHQ-9: 2+2+1+1+1+1+1+1+0 = 10, "moderate".
        await page.GotoAsync("/portal/tasks");
        await page.GetByRole(AriaRole.Link, new() { Name = "Complete the PHQ-9 depression questionnaire" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "PHQ-9 depression questionnaire" })).ToBeVisibleAsync();
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        string[] answers = ["More than half the days", "More than half the days", "Several days", "Several days", "Several days", "Several days",
            "Several days", "Several days", "Not at all"];
        var items = page.Locator("fieldset.item");
        await Expect(items).ToHaveCountAsync(9);
        for (var i = 0; i < answers.Length; i++)
            await items.Nth(i).GetByLabel(answers[i], new() { Exact = true }).CheckAsync();
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your answers were sent to your provider.");
        });
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);

        await page.GotoAsync("/portal/tasks");
        await Expect(page.GetByText("You have nothing to do right now.")).ToBeVisibleAsync();
        csp.ShouldBeEmpty();

        // Without JavaScript every section shows; the server judges the answers by the version the page was opened on.
        var noScript = await BrowserJourney.SameSessionAsync(Fixture, people.Client, javaScript: false);
        var plain = await noScript.NewPageAsync();
        await plain.GotoAsync(formUrl.Replace("/console/forms/", "/portal/forms/"));
        await Expect(plain.GetByRole(AriaRole.Heading, new() { Name = "Earlier therapy" })).ToBeVisibleAsync();
        (await plain.Locator("input[name=Version]").InputValueAsync()).ShouldBe("1");

        await console.GotoAsync(formUrl);
        await console.GetByLabel("Sections and fields (JSON)").FillAsync(HistoryFormVersionTwo);
        await console.GetByRole(AriaRole.Button, new() { Name = "Save working copy" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved.");
        await PublishAsync(console, "Publish as version 2", "Published version 2.");

        await plain.GetByLabel("What brings you to therapy?").FillAsync("A follow-up note.");
        await plain.GetByLabel("No", new() { Exact = true }).CheckAsync();
        await plain.GetByLabel("Who did you see? (required)").FillAsync("Not to be kept");
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await plain.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
            await Expect(plain.GetByRole(AriaRole.Heading, new() { Name = "Thank you" })).ToBeVisibleAsync();
        });
        await noScript.DisposeAsync();

        // The provider sees the signed copy (version, time, hash), both sets of answers and the PHQ-9 score and band.
        await console.GotoAsync($"/console/clients/{people.ClientId}");
        var signed = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Signed documents" }) });
        await signed.GetByRole(AriaRole.Link, new() { Name = "Practice policies (version 1)" }).ClickAsync();
        var block = console.Locator(".signature-block");
        await Expect(block).ToBeVisibleAsync();
        var copy = await block.InnerTextAsync();
        copy.ShouldContain("Casey Client");
        copy.ShouldContain("Practice policies, version 1");
        copy.ShouldContain(shownHash);
        copy.ShouldContain(DateTime.UtcNow.ToString("yyyy-MM-dd"));
        copy.ShouldContain("UTC");
        await Expect(console.GetByText("The document above matches the signed content (same SHA-256).")).ToBeVisibleAsync();
        (await console.Locator(".document-body").InnerTextAsync()).ShouldContain("Cancel 24 hours ahead");

        await console.GotoAsync($"/console/clients/{people.ClientId}");
        var responses = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Intake form answers" }) })
            .GetByRole(AriaRole.Link, new() { Name = "Health history (version 1)" });
        await Expect(responses).ToHaveCountAsync(2);
        var links = new List<string>();
        for (var i = 0; i < 2; i++) links.Add((await responses.Nth(i).GetAttributeAsync("href"))!);
        var bodies = new List<string>();
        foreach (var link in links)
        {
            await console.GotoAsync(link);
            await Expect(console.GetByRole(AriaRole.Heading, new() { Name = "Health history", Level = 1 })).ToBeVisibleAsync();
            bodies.Add(await console.Locator("main").InnerTextAsync());
        }
        var first = bodies.Single(b => b.Contains("Trouble sleeping since the move."));
        first.ShouldContain("Dr. Rivera");
        first.ShouldContain("version 1");
        var second = bodies.Single(b => b.Contains("A follow-up note."));
        second.ShouldNotContain("Not to be kept");
        second.ShouldNotContain("Phone number");

        await console.GotoAsync($"/console/clients/{people.ClientId}");
        var assessments = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Assessments", Exact = true }) });
        var row = assessments.Locator("tbody tr").First;
        await Expect(row).ToContainTextAsync("10 / 27");
        await Expect(row).ToContainTextAsync("moderate");
        (await assessments.Locator("svg").CountAsync()).ShouldBeGreaterThan(0);
    });

    /// <summary>Publishes and waits until the other modules heard of it (Intake's catalog offers it for requests).</summary>
    private async Task PublishAsync(IPage console, string button, string message) =>
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await console.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
            await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync(message);
        });

    private async Task RequestAsync(IPage console, string kind, string subject, string title)
    {
        await console.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = kind });
        await console.GetByLabel("Document, form or assessment (for those kinds of task)").SelectOptionAsync(new SelectOptionValue { Label = subject });
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await console.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
            await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync($"Requested \u201c{title}\u201d.");
        });
    }
}

using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

public sealed class FormsBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
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
    public async Task
        A_provider_builds_a_conditional_form_and_a_client_signs_a_policy_fills_it_and_answers_a_PHQ9_and_a_GAD7_and_the_provider_sees_all() =>
        await Run(async _ =>
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

        // The intake form is built question by question in the builder (no JSON), on a phone-sized screen.
        await console.GotoAsync("/console/forms");
        await console.GetByLabel("Title", new() { Exact = true }).FillAsync("Health history");
        await console.GetByRole(AriaRole.Button, new() { Name = "Create and open the builder" }).ClickAsync();
        await Expect(console).ToHaveURLAsync(new Regex("/console/forms/[0-9a-f-]{36}/builder$"));
        var builderUrl = console.Url;
        var fillUrl = builderUrl.Replace("/console/forms/", "/portal/forms/").Replace("/builder", "");
        await console.SetViewportSizeAsync(375, 740);
        var consoleCsp = BrowserJourney.WatchCsp(console);
        var about = console.GetByRole(AriaRole.Region, new() { Name = "Section 1" });
        await about.GetByLabel("Section title").FillAsync("About you");
        await about.GetByLabel("Section key").FillAsync("about");
        await FillQuestionAsync(about, "Question 1 of section 1", "What brings you to therapy?", "reason", "Long text");
        await about.GetByRole(AriaRole.Button, new() { Name = "Add a question to section 1" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Added and saved.");
        await FillQuestionAsync(about, "Question 2 of section 1", "Have you been in therapy before?", "prior_therapy", "Yes / no");
        await console.GetByRole(AriaRole.Button, new() { Name = "Add a section" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Added and saved.");
        var earlierSection = console.GetByRole(AriaRole.Region, new() { Name = "Section 2" });
        await earlierSection.GetByLabel("Section title").FillAsync("Earlier therapy");
        await earlierSection.GetByLabel("Section key").FillAsync("earlier");
        await earlierSection.GetByLabel("Show this section only when").SelectOptionAsync(
            new SelectOptionValue { Label = "the answer to \u201cHave you been in therapy before?\u201d (prior_therapy)" });
        await earlierSection.GetByLabel("Answer that shows this section").FillAsync("Yes");
        await FillQuestionAsync(earlierSection, "Question 1 of section 2", "Who did you see?", "prior_provider", "Short text");
        await console.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).First.ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved. Publish to show it to clients.");
        await Expect(earlierSection.GetByLabel("Answer that shows this section")).ToHaveValueAsync("yes");
        (await console.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();
        await console.SetViewportSizeAsync(1280, 720);
        await PublishAsync(console, "Publish as version 1", "Published version 1.");
        consoleCsp.ShouldBeEmpty();

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

        // The PHQ-9: 2+2+1+1+1+1+1+1+1 = 11, "moderate", and item 9 above 0 raises the safety flag.
        await page.GotoAsync("/portal/tasks");
        await page.GetByRole(AriaRole.Link, new() { Name = "Complete the PHQ-9 depression questionnaire" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "PHQ-9 depression questionnaire" })).ToBeVisibleAsync();
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        string[] answers = ["More than half the days", "More than half the days", "Several days", "Several days", "Several days", "Several days",
            "Several days", "Several days", "Several days"];
        var items = page.Locator("fieldset.item");
        await Expect(items).ToHaveCountAsync(9);
        for (var i = 0; i < answers.Length; i++)
            await items.Nth(i).GetByLabel(answers[i], new() { Exact = true }).CheckAsync();
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your answers were sent to your provider.");
        });
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("call or text 988");
        var urgent = await UrgentEmailAsync(people.ProviderEmail);
        var urgentText = urgent.TextBody ?? string.Empty;
        urgentText.ShouldContain("needs your attention today");
        foreach (var answer in new[] { "Several days", "More than half the days", "better off dead", "11 / 27", "moderate" })
        {
            urgentText.ShouldNotContain(answer);
            (urgent.HtmlBody ?? string.Empty).ShouldNotContain(answer);
        }

        // A GAD-7 the client answers on their own: seven times "Several days" = 7, "mild".
        await page.GotoAsync("/portal/assessments/gad7");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "GAD-7 anxiety questionnaire" })).ToBeVisibleAsync();
        var gad = page.Locator("fieldset.item");
        await Expect(gad).ToHaveCountAsync(7);
        for (var i = 0; i < 7; i++)
            await gad.Nth(i).GetByLabel("Several days", new() { Exact = true }).CheckAsync();
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
        await plain.GotoAsync(fillUrl);
        await Expect(plain.GetByRole(AriaRole.Heading, new() { Name = "Earlier therapy" })).ToBeVisibleAsync();
        (await plain.Locator("input[name=Version]").InputValueAsync()).ShouldBe("1");

        await console.GotoAsync(builderUrl);
        await console.GetByRole(AriaRole.Link, new() { Name = "Advanced (JSON)" }).ClickAsync();
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
        copy.ShouldContain(Portal.BuildingBlocks.Time.PortalTime.Date(DateTimeOffset.UtcNow, Portal.BuildingBlocks.Time.PortalTime.DefaultZone));
        copy.ShouldNotContain("UTC");
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
        var assessments = console.Locator("section",
            new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Assessments", Exact = true }) });
        var row = assessments.GetByRole(AriaRole.Table, new() { Name = "PHQ-9 results" }).Locator("tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("11 / 27");
        await Expect(row).ToContainTextAsync("moderate");
        await Expect(row).ToContainTextAsync("Item 9 above 0: follow up");
        var gadRow = assessments.GetByRole(AriaRole.Table, new() { Name = "GAD-7 results" }).Locator("tbody tr");
        await Expect(gadRow).ToHaveCountAsync(1);
        await Expect(gadRow).ToContainTextAsync("7 / 21");
        await Expect(gadRow).ToContainTextAsync("mild");
        await Expect(gadRow).Not.ToContainTextAsync("Item 9");
        (await assessments.Locator("svg").CountAsync()).ShouldBeGreaterThan(0);
    });

    /// <summary>Types one question of the builder: its text, key, answer type, and marks it required.</summary>
    private static async Task FillQuestionAsync(ILocator section, string question, string label, string key, string type)
    {
        var group = section.GetByRole(AriaRole.Group, new() { Name = question });
        await group.GetByLabel("Question", new() { Exact = true }).FillAsync(label);
        await group.GetByLabel("Key", new() { Exact = true }).FillAsync(key);
        await group.GetByLabel("Answer type").SelectOptionAsync(new SelectOptionValue { Label = type });
        await group.GetByLabel("Required").CheckAsync();
    }

    /// <summary>The urgent email to the provider (sent after the tracked work, so waited for).</summary>
    private async Task<MimeKit.MimeMessage> UrgentEmailAsync(string providerEmail)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var urgent = Fixture.Mail.To(providerEmail).FirstOrDefault(m => m.Subject?.StartsWith("Urgent:", StringComparison.Ordinal) == true);
            if (urgent is not null) return urgent;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No urgent email to {providerEmail}.");
            await Task.Delay(100);
        }
    }

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
        await console.GetByLabel("Document, form or assessment (for those kinds of task)")
            .SelectOptionAsync(new SelectOptionValue { Label = subject });
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await console.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
            await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync($"Requested \u201c{title}\u201d.");
        });
    }
}

using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

public sealed class IntakeBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_provider_builds_publishes_and_assigns_a_workflow_and_the_client_works_through_My_tasks_stage_by_stage() =>
        await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var console = await people.Provider.NewPageAsync();

        // A policy the workflow can ask the client to sign.
        await console.GotoAsync("/console/documents");
        await console.GetByLabel("Title", new() { Exact = true }).FillAsync("Practice policies");
        await console.GetByLabel("Text (Markdown)").FillAsync("Cancel **24 hours** ahead or the session is charged.");
        await console.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await Expect(console).ToHaveURLAsync(new Regex("/console/documents/[0-9a-f-]{36}$"));
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await console.GetByRole(AriaRole.Button, new() { Name = "Publish as version 1" }).ClickAsync();
            await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Published version 1.");
        });

        // The builder: a draft with a screening stage, then a paperwork stage moved up to come first.
        await console.GotoAsync("/console/workflows");
        var create = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "New workflow" }) });
        await create.GetByLabel("Name", new() { Exact = true }).FillAsync("New client intake");
        await create.GetByLabel("First stage").FillAsync("Screening");
        await create.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Complete an assessment" });
        await create.GetByLabel("Document, form or assessment (for those kinds of task)")
            .SelectOptionAsync(new SelectOptionValue { Label = "PHQ-9" });
        await create.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await Expect(console).ToHaveURLAsync(new Regex("/console/workflows/[0-9a-f-]{36}$"));
        var builder = console.Url;
        await Expect(console.GetByText("Version 1: Draft")).ToBeVisibleAsync();

        var addStage = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Add a stage" }) });
        await addStage.GetByLabel("Stage name").FillAsync("Paperwork");
        await addStage.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Sign a document" });
        await addStage.GetByLabel("Document, form or assessment (for those kinds of task)")
            .SelectOptionAsync(new SelectOptionValue { Label = "Practice policies" });
        await addStage.GetByRole(AriaRole.Button, new() { Name = "Add stage" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Heading, new() { Name = "Stage 2: Paperwork" })).ToBeVisibleAsync();

        await console.GetByRole(AriaRole.Button, new() { Name = "Move stage 2 up" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Heading, new() { Name = "Stage 1: Paperwork" })).ToBeVisibleAsync();
        await Expect(console.GetByRole(AriaRole.Heading, new() { Name = "Stage 2: Screening" })).ToBeVisibleAsync();
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();

        await console.GetByRole(AriaRole.Button, new() { Name = "Publish version 1" }).ClickAsync();
        await Expect(console.GetByText("Version 1: Published")).ToBeVisibleAsync();

        var assign = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Assign version 1 to clients" }) });
        await assign.GetByLabel("Casey Client").CheckAsync();
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await assign.GetByRole(AriaRole.Button, new() { Name = "Assign" }).ClickAsync();
            await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Assigned version 1 to 1 client(s).");
        });

        // The client sees the first stage only, with progress.
        var page = await people.Client.NewPageAsync();
        await page.SetViewportSizeAsync(375, 740);
        var csp = BrowserJourney.WatchCsp(page);
        await page.GotoAsync("/portal/tasks");
        var workflow = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "New client intake" }) });
        await Expect(workflow).ToContainTextAsync("0 of 2 done");
        await Expect(workflow).ToContainTextAsync("Step 1 of 2");
        await Expect(workflow.GetByRole(AriaRole.Link)).ToHaveTextAsync(["Sign: Practice policies"]);
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();

        await workflow.GetByRole(AriaRole.Link, new() { Name = "Sign: Practice policies" }).ClickAsync();
        await page.GetByLabel("I agree to sign electronically.").CheckAsync();
        await page.GetByLabel("Type your full name to sign").FillAsync("Casey Client");
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Electronic signature" })).ToBeVisibleAsync();
        });

        // The second stage opened when the first was done.
        await page.GotoAsync("/portal/tasks");
        await Expect(workflow).ToContainTextAsync("1 of 2 done");
        await Expect(workflow).ToContainTextAsync("Step 2 of 2");
        await Expect(workflow.GetByRole(AriaRole.Link)).ToHaveTextAsync(["Complete the PHQ-9 depression questionnaire"]);

        await workflow.GetByRole(AriaRole.Link, new() { Name = "Complete the PHQ-9 depression questionnaire" }).ClickAsync();
        var items = page.Locator("fieldset.item");
        await Expect(items).ToHaveCountAsync(9);
        for (var i = 0; i < 9; i++)
            await items.Nth(i).GetByLabel(i < 3 ? "Several days" : "Not at all", new() { Exact = true }).CheckAsync();
        Fixture.Mail.Clear();
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your answers were sent to your provider.");
        });

        await page.GotoAsync("/portal/tasks");
        await Expect(page.GetByText("You have nothing to do right now.")).ToBeVisibleAsync();
        csp.ShouldBeEmpty();

        // The provider: the assignment completed, its timeline, where clients stand, and the email.
        await console.GotoAsync($"/console/clients/{people.ClientId}");
        var intake = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Intake tasks" }) });
        var card = intake.Locator("article", new() { Has = console.GetByRole(AriaRole.Link, new() { Name = "New client intake" }) });
        await Expect(card).ToContainTextAsync("Completed");
        await Expect(card).ToContainTextAsync("2 of 2 done");
        await card.GetByRole(AriaRole.Link, new() { Name = "New client intake" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Heading, new() { Name = "Timeline" })).ToBeVisibleAsync();
        var timeline = await console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Timeline" }) })
            .Locator("li").AllInnerTextsAsync();
        var steps = timeline.Select(t => Regex.Replace(t, @"^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M \S+\s+", string.Empty)).ToList();
        steps.ShouldBe(
        [
            "Assigned \u201cNew client intake\u201d (version 1) by Pat Provider",
            "Stage 1 started: Paperwork",
            "Requested: Sign: Practice policies",
            "Completed: Sign: Practice policies",
            "Stage 2 started: Screening",
            "Requested: Complete the PHQ-9 depression questionnaire",
            "Completed: Complete the PHQ-9 depression questionnaire",
            "All tasks done",
        ]);
        await Expect(console.Locator("main .badge").First).ToHaveTextAsync("Completed");

        await console.GotoAsync(builder);
        await Expect(console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Where clients stand" }) }))
            .ToContainTextAsync("1 completed, 0 cancelled.");

        var subject = "Casey C. completed every task of \u201cNew client intake\u201d";
        var email = await EmailAsync(people.ProviderEmail, subject);
        email.TextBody!.ShouldContain($"/console/clients/{people.ClientId}");
    });

    /// <summary>Waits for the email (sent by Notifications after the tracked work, through the real SMTP server).</summary>
    private async Task<MimeKit.MimeMessage> EmailAsync(string to, string subject)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var found = Fixture.Mail.To(to).FirstOrDefault(m => m.Subject == subject);
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No email \"{subject}\" to {to}; got: {string.Join(" | ", Fixture.Mail.To(to).Select(m => m.Subject))}");
            await Task.Delay(100);
        }
    }
}

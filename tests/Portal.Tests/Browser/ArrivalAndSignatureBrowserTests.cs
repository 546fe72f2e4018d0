using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Portal.Contracts;
using Portal.Intake.Roster;
using Wolverine;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// A provider asks a just-added client for something before Intake's copy of the roster knows the client; a client
/// signs a document with a name that is not their legal name and the provider sees it.
/// </summary>
public sealed class ArrivalAndSignatureBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_provider_asks_a_client_just_added_for_an_assessment_while_the_roster_copy_is_still_on_its_way() =>
        await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture, "Robin", "Ames");
        var console = await people.Provider.NewPageAsync();
        await console.SetViewportSizeAsync(1280, 800);

        // The race made certain: the roster's message about the client has not reached Intake yet (its copy is taken
        // away here) and arrives a second after the provider opens the request page.
        var roster = await TakeIntakeCopyAwayAsync(people.ClientId);
        await console.GotoAsync($"/console/clients/{people.ClientId}");
        var late = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            await Fixture.Services.GetRequiredService<IHost>().MessageBus().PublishAsync(roster);
        });
        await console.GetByRole(AriaRole.Link, new() { Name = "Request a document, form, assessment or payment detail" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Heading, new() { Name = "Ask Robin Ames for something" })).ToBeVisibleAsync();
        await late;

        await console.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Complete an assessment" });
        await console.GetByLabel("Document, form or assessment (for those kinds of task)").SelectOptionAsync(new SelectOptionValue { Label = "PHQ-9" });
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await console.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
            await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Requested \u201cComplete the PHQ-9 depression questionnaire\u201d.");
        });
        await Screenshot(console, "request-after-late-roster-1280");

        var client = await people.Client.NewPageAsync();
        await client.SetViewportSizeAsync(390, 844);
        await client.GotoAsync("/portal/tasks");
        await Expect(client.GetByRole(AriaRole.Link, new() { Name = "Complete the PHQ-9 depression questionnaire" })).ToBeVisibleAsync();
    });

    [Fact]
    public async Task A_client_signing_as_another_name_is_asked_to_confirm_and_the_provider_sees_the_signed_as_a_different_name_flag() =>
        await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture, "Zoë", "O'Brien");
        var saved = await BrowserJourney.SendAsync(people.Provider, "POST", "/api/documents",
            new { title = "Practice policies", markdown = "Cancel 24 hours ahead." }, 201);
        var documentId = saved.GetProperty("documentId").GetGuid();
        await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(people.Provider, "POST", $"/api/documents/{documentId}/publish",
            new { revision = saved.GetProperty("revision").GetInt32(), requireExistingSignersToSignAgain = false }, 200));

        foreach (var (width, height) in new[] { (390, 844), (1280, 800) })
        {
            var page = await people.Client.NewPageAsync();
            await page.SetViewportSizeAsync(width, height);
            await page.GotoAsync($"/portal/documents/{documentId}");
            if (width == 1280)
            {
                // Signed already at the phone size: this size only shows the signed state.
                await Expect(page.GetByText("You signed this version.")).ToBeVisibleAsync();
                continue;
            }
            await page.GetByLabel("I agree to sign electronically.").CheckAsync();
            await page.GetByLabel("Type your full name to sign").FillAsync("Sam Smith");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign", Exact = true }).ClickAsync();
            var question = page.GetByRole(AriaRole.Alert);
            await Expect(question).ToContainTextAsync(
                "The name you typed, Sam Smith, is not the name we have for you, Zoë O'Brien. Sign as Sam Smith anyway?");
            await Screenshot(page, $"signature-question-{width}");
            (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
            await BrowserJourney.TrackedAsync(Fixture, async () =>
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign as Sam Smith" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Electronic signature" })).ToBeVisibleAsync();
            });
        }

        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            var console = await people.Provider.NewPageAsync();
            await console.SetViewportSizeAsync(width, height);
            await console.GotoAsync($"/console/clients/{people.ClientId}");
            await Expect(console.GetByText("signed as a different name", new() { Exact = true })).ToBeVisibleAsync();
            await console.GetByRole(AriaRole.Link, new() { Name = "Practice policies (version 1)" }).ClickAsync();
            await Expect(console.GetByText("Signed as a different name.")).ToBeVisibleAsync();
            (await console.Locator("[data-signed-as-different-name]").InnerTextAsync())
                .ShouldContain("The name typed, Sam Smith, is not the legal name on file, Zoë O'Brien");
            (await console.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
            await Screenshot(console, $"signed-as-different-name-{width}");
        }
    });

    /// <summary>Removes Intake's copy of the client and returns the roster's message that would bring it.</summary>
    private async Task<ClientRosterChanged> TakeIntakeCopyAwayAsync(Guid clientId)
    {
        await using var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        var card = (await session.LoadAsync<IntakeClient>(clientId)).ShouldNotBeNull();
        session.Delete(card);
        await session.SaveChangesAsync();
        return new ClientRosterChanged(card.Id, card.ProviderId, card.PracticeId, card.PracticeName, card.FirstName, card.LastName,
            card.Email, new DateOnly(1990, 4, 17), card.Eligible, card.HasActiveAccount, card.Version);
    }

    private static async Task Screenshot(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"arrival-{name}.png"), FullPage = true });
    }
}

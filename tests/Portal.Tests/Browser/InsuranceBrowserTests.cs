using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Portal.Contracts;
using Portal.Tests.Infrastructure;
using Portal.Tests.Insurance;
using Wolverine;
using Wolverine.Tracking;

namespace Portal.Tests.Browser;

public sealed class InsuranceBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_dependent_adds_a_plan_with_card_photos_the_provider_sees_it_by_the_client_and_sends_it_back_with_a_message_the_client_reads()
        => await Run(async _ =>
    {
        var (provider, client, clientId, _, clientEmail) = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);

        // The client, on a phone-sized screen.
        var page = await client.NewPageAsync();
        await page.SetViewportSizeAsync(375, 740);
        await page.GotoAsync("/portal/insurance");
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();

        var primary = page.Locator("#primary-plan");
        // Not a dependent: the plan holder's details stay out of the way.
        (await primary.GetByLabel("Plan holder's full name").IsVisibleAsync()).ShouldBeFalse();
        await primary.GetByLabel("Search insurance companies").FillAsync("open cigna");
        await primary.GetByLabel("Search insurance companies").FillAsync("cigna");
        (await primary.GetByLabel("Insurance company", new() { Exact = true }).Locator("option").AllInnerTextsAsync())
            .ShouldBe(["Choose the insurance company", "Cigna Healthcare", "Evernorth Behavioral Health (Cigna)",
                "Other (type the name on your card)"]);
        await primary.GetByLabel("Insurance company", new() { Exact = true }).SelectOptionAsync("cigna");
        await primary.GetByLabel("Plan name").FillAsync("Open Access Plus");
        await primary.GetByLabel("Member ID").FillAsync("U1234567801");
        await primary.GetByLabel("Group number (if the card shows one)").FillAsync("3337777");
        await primary.GetByLabel("Someone else is: I am covered as their dependent (spouse, child or partner)").CheckAsync();
        (await primary.Locator(".subscriber .hint").InnerTextAsync()).ShouldContain("not yours");
        await primary.GetByLabel("Plan holder's full name").FillAsync("Morgan Client");
        await primary.GetByLabel("Plan holder's date of birth").FillAsync("1965-09-30");
        await primary.GetByLabel("You are the plan holder's").SelectOptionAsync("spouse");
        await primary.GetByLabel("Front of the card")
            .SetInputFilesAsync(new FilePayload { Name = "front.png", MimeType = "image/png", Buffer = CardPictures.Png });
        await primary.GetByLabel("Back of the card")
            .SetInputFilesAsync(new FilePayload { Name = "back.jpg", MimeType = "image/jpeg", Buffer = CardPictures.Jpeg });
        await primary.GetByRole(AriaRole.Button, new() { Name = "Save primary insurance" }).ClickAsync();
        await page.WaitForURLAsync("**/portal/insurance?done=saved-primary");

        (await page.Locator("[role=status]").InnerTextAsync()).ShouldContain("Your primary insurance was saved.");
        var saved = await primary.InnerTextAsync();
        saved.ShouldContain("Cigna Healthcare");
        saved.ShouldContain("Morgan Client, born Sep 30, 1965; you are their spouse (dependent)");
        saved.ShouldContain("Awaiting review");
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();

        // The provider opens the client's profile.
        var console = await provider.NewPageAsync();
        await console.GotoAsync($"/console/clients/{clientId}");
        var section = console.Locator("section#insurance");
        var lastUpdated = await section.Locator(".last-updated").InnerTextAsync();
        lastUpdated.ShouldStartWith("Last Updated:");
        lastUpdated.ShouldContain(Portal.BuildingBlocks.Time.PortalTime.Date(DateTimeOffset.UtcNow, Portal.BuildingBlocks.Time.PortalTime.DefaultZone));
        lastUpdated.ShouldContain("by the client (Casey Client)");
        var front = section.GetByAltText("Front of the primary insurance card");
        var back = section.GetByAltText("Back of the primary insurance card");
        foreach (var (image, type) in new[] { (front, "image/png"), (back, "image/jpeg") })
        {
            await image.ScrollIntoViewIfNeededAsync();
            (await image.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0")).ShouldBeTrue();
            var photo = await provider.APIRequest.GetAsync((await image.GetAttributeAsync("src"))!);
            photo.Status.ShouldBe(200);
            photo.Headers["content-type"].ShouldBe(type);
        }
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();

        await section.GetByLabel("Send the primary plan back to the client: what should they fix?")
            .FillAsync("The member ID on the card ends in 02, not 01.");
        await section.GetByRole(AriaRole.Button, new() { Name = "Send primary plan back" }).ClickAsync();
        await console.WaitForURLAsync($"**/console/clients/{clientId}#insurance");
        (await console.Locator("section#insurance").InnerTextAsync())
            .ShouldContain("Sent back to the client: “The member ID on the card ends in 02, not 01.”");

        // The client is emailed, and reads the message on their page.
        var email = await EmailToAsync(clientEmail, "asks you to check your insurance details");
        email.TextBody.ShouldNotBeNull().ShouldContain("The member ID on the card ends in 02, not 01.");
        new Uri(MailCapture.LinkIn(email).ShouldNotBeNull()).AbsolutePath.ShouldBe("/portal/insurance"); // with ?practice= for its look
        await page.GotoAsync("/portal/insurance");
        var returned = await page.Locator("#primary-plan").InnerTextAsync();
        returned.ShouldContain("Your provider sent this plan back and asks you to check it:");
        returned.ShouldContain("The member ID on the card ends in 02, not 01.");
        returned.ShouldContain("Sent back for changes");
        await SaveScreenshotAsync(page);

        await provider.DisposeAsync();
        await client.DisposeAsync();
    });

    private async Task<MimeKit.MimeMessage> EmailToAsync(string address, string subject)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (Fixture.Mail.To(address).FirstOrDefault(m => (m.Subject ?? string.Empty).Contains(subject, StringComparison.Ordinal)) is { } found)
                return found;
            await Task.Delay(100);
        }
        throw new TimeoutException($"No email \"{subject}\" to {address}.");
    }

    private static async Task SaveScreenshotAsync(IPage page)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(folder, "InsuranceBrowserTests.client-insurance-375.png"), FullPage = true
        });
    }
}

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

public sealed class TextLimitBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private static object PayerForm => new
    {
        sections = new object[]
        {
            new { key = "insurance", title = "Your insurance", fields = new object[]
            {
                new { key = "payer", label = "Insurance company", type = "ShortText", maxLength = 20 },
            } },
        },
    };

    [Fact]
    public async Task An_answer_over_its_field_limit_is_refused_next_to_the_field_and_never_stored_cut() => await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var created = await BrowserJourney.SendAsync(
            people.Provider, "POST", "/api/forms", new { title = "Insurance details", schema = PayerForm }, 201);
        var formId = created.GetProperty("formId").GetGuid();
        await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(people.Provider, "POST", $"/api/forms/{formId}/publish",
            new { revision = created.GetProperty("revision").GetInt32() }, 200));

        var page = await people.Client.NewPageAsync();
        await page.GotoAsync($"/portal/forms/{formId}");
        var payer = page.GetByLabel("Insurance company");
        await payer.FillAsync("Blue Cross");
        await Expect(page.Locator("#draft-status")).ToHaveTextAsync("Draft saved.");

        // The input keeps to its maxlength as a person types; a pasted answer in an older page or a script need not.
        await payer.EvaluateAsync("input => input.removeAttribute('maxlength')");
        await payer.FillAsync("Blue Cross Blue Shield of Texas");
        await Expect(page.Locator("#f-payer-error")).ToHaveTextAsync("Use at most 20 characters.");
        await Expect(payer).ToHaveAttributeAsync("aria-describedby", "f-payer-error");
        await Expect(page.Locator("#draft-status")).ToHaveTextAsync("Your draft was not saved: please check the answers marked.");

        // The draft is the last one saved, whole.
        await page.ReloadAsync();
        await Expect(payer).ToHaveValueAsync("Blue Cross");
        await Expect(page.Locator("#f-payer-error")).ToBeHiddenAsync();

        // Sending it says the same next to the field, keeps what was typed, and stores nothing.
        await payer.EvaluateAsync("input => input.removeAttribute('maxlength')");
        await payer.FillAsync("Blue Cross Blue Shield of Texas");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Use at most 20 characters.");
        await Expect(page.Locator("#f-payer-error")).ToHaveTextAsync("Use at most 20 characters.");
        await Expect(payer).ToHaveValueAsync("Blue Cross Blue Shield of Texas");
        await page.GotoAsync($"/portal/forms/{formId}");
        await Expect(payer).ToHaveValueAsync("Blue Cross");
    });
}

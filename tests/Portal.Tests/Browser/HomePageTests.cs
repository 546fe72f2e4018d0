using Microsoft.Playwright;

namespace Portal.Tests.Browser;

public sealed class HomePageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Home_page_loads_with_a_meaningful_title_and_no_serious_accessibility_violation() => await Run(async page =>
    {
        var response = await page.GotoAsync("/");
        response!.Status.ShouldBe(200);
        (await page.TitleAsync()).ShouldContain("portal", Case.Insensitive);
        (await page.Locator("h1").InnerTextAsync()).ShouldNotBeNullOrWhiteSpace();

        var violations = await AxeViolationsAsync();
        violations.Where(v => v.IsSeriousOrCritical).ShouldBeEmpty();
    });

    [Fact]
    public async Task Home_page_fits_a_375_pixel_phone_without_sideways_scrolling() => await Run(async page =>
    {
        await page.SetViewportSizeAsync(375, 740);
        await page.GotoAsync("/");
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        overflow.ShouldBeFalse();
    });
}

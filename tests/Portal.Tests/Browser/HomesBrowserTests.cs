using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// Each role's home tells the truth, at desktop and phone width: the front desk sees the client waiting that the owner
/// sees, the console names the practice, the email changes waiting keep Approve and Reject on a phone's screen, and a
/// parent's home says whose record they act for.
/// </summary>
public sealed class HomesBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Homes_show_what_each_role_acts_on_with_the_practice_s_name_at_desktop_and_phone_width() =>
        await Run(async _ =>
    {
        await using var practice = await FullPractice.SeedAsync(Fixture);
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            var owner = await practice.Roles["owner"].NewPageAsync();
            await owner.SetViewportSizeAsync(width, height);
            await owner.GotoAsync("/console");
            await Expect(owner.Locator(".site-header [data-practice-name]")).Not.ToHaveTextAsync("Provider console");
            await Expect(owner.Locator("header")).Not.ToContainTextAsync("Provider console");
            // Approve and Reject lie inside the window, not behind a sideways scroll.
            var approve = owner.GetByRole(AriaRole.Button, new() { Name = "Approve" }).First;
            await Expect(approve).ToBeVisibleAsync();
            var reject = await owner.GetByRole(AriaRole.Button, new() { Name = "Reject" }).First.BoundingBoxAsync();
            reject.ShouldNotBeNull();
            (reject.X + reject.Width).ShouldBeLessThanOrEqualTo(width);
            var ownerCount = await owner.Locator("[data-clients-open]").GetAttributeAsync("data-clients-open");
            await Shot(owner, "owner", width);

            var frontDesk = await practice.Roles["front-desk"].NewPageAsync();
            await frontDesk.SetViewportSizeAsync(width, height);
            await frontDesk.GotoAsync("/console");
            (await frontDesk.Locator("[data-clients-open]").GetAttributeAsync("data-clients-open")).ShouldBe(ownerCount);
            await Shot(frontDesk, "front-desk", width);

            var parent = await practice.Roles["parent"].NewPageAsync();
            await parent.SetViewportSizeAsync(width, height);
            await parent.GotoAsync("/portal");
            await Expect(parent.GetByText("You are acting for:")).ToBeVisibleAsync();
            await Shot(parent, "parent", width);
            await owner.CloseAsync();
            await frontDesk.CloseAsync();
            await parent.CloseAsync();
        }
    });

    private static async Task Shot(IPage page, string name, int width)
    {
        if (Environment.GetEnvironmentVariable("PORTAL_SCREENSHOTS") is not { Length: > 0 }) return;
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"home-{name}-{width}.png"), FullPage = true });
    }
}

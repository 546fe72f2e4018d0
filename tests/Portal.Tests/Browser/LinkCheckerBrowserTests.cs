using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>
/// No dead ends: for each role, start at the role's home after sign-in and follow every link inside the portal
/// breadth-first (GET only; not sign-out, not downloads), up to <see cref="MaxPages"/> pages, and fail on any page
/// that answers "not found", "not allowed" or a server error, naming the page and where its link was. Screenshots of
/// each home at desktop and phone size.
/// </summary>
public sealed class LinkCheckerBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const int MaxPages = 60;

    [Fact]
    public async Task Every_link_a_provider_reaches_from_the_dashboard_opens_a_page() => await Run(async _ =>
    {
        await using var pair = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture, "Avery", "Adams");
        await CheckAsync(pair.Provider, "/console", "provider");
    });

    [Fact]
    public async Task Every_link_a_client_reaches_from_the_portal_home_opens_a_page() => await Run(async _ =>
    {
        await using var pair = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture, "Avery", "Adams");
        await CheckAsync(pair.Client, "/portal", "client");
    });

    [Fact]
    public async Task Every_link_support_reaches_from_its_home_opens_a_page() => await Run(async _ =>
    {
        // A practice with a client, so support's client list and profile pages have something to link to.
        await using var pair = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture, "Avery", "Adams");
        var email = $"support-{Guid.NewGuid():N}@portal.test";
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, email, BrowserJourney.Password, "Sam Support",
                TimeProvider.System);
        await using var support = await BrowserJourney.NewContextAsync(Fixture);
        var page = await support.NewPageAsync();
        await BrowserJourney.SignInOnPageAsync(page, email);
        await page.WaitForURLAsync("**/support");
        await page.CloseAsync();
        await CheckAsync(support, "/support", "support");
    });

    [Theory]
    [InlineData("FrontDesk")]
    [InlineData("Biller")]
    public async Task Every_link_a_front_desk_or_biller_reaches_from_the_dashboard_opens_a_page(string role) => await Run(async _ =>
    {
        // The practice's client, so the member's client list and the client's profile have links to follow.
        await using var pair = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture, "Avery", "Adams");
        var me = await BrowserJourney.SendAsync(pair.Provider, "GET", "/api/account/me", null, 200);
        var practiceId = me.GetProperty("practiceId").GetGuid();
        var supportEmail = $"support-{Guid.NewGuid():N}@portal.test";
        var memberEmail = $"member-{Guid.NewGuid():N}@portal.test";
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, supportEmail, BrowserJourney.Password, "Sam Support",
                TimeProvider.System);
        await using var support = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(support, "POST", "/api/account/sign-in",
            new { email = supportEmail, password = BrowserJourney.Password }, 200);
        System.Text.Json.JsonElement added = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => added = await BrowserJourney.SendAsync(support, "POST",
            $"/api/support/practices/{practiceId}/providers", new { name = "Morgan Member", email = memberEmail, role }, 201));
        await BrowserJourney.SendAsync(support, "PUT", $"/api/support/providers/{added.GetProperty("providerId").GetGuid()}/password",
            new { password = BrowserJourney.Password }, 204);

        await using var member = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(member, "POST", "/api/account/sign-in",
            new { email = memberEmail, password = BrowserJourney.Password }, 200);
        await CheckAsync(member, "/console", role == "Biller" ? "biller" : "front-desk");
    });

    /// <summary>Breadth-first from <paramref name="home"/>; every dead link is listed with the page it was found on.</summary>
    private async Task CheckAsync(IBrowserContext context, string home, string role)
    {
        var page = await context.NewPageAsync();
        var origin = Fixture.BaseAddress.GetLeftPart(UriPartial.Authority);
        var queue = new Queue<(string Url, string From)>([(home, "(home)")]);
        var seen = new HashSet<string> { home };
        var dead = new List<string>();
        var visited = 0;
        while (queue.Count > 0 && visited < MaxPages)
        {
            var (url, from) = queue.Dequeue();
            IResponse? response;
            try
            {
                response = await page.GotoAsync(url);
            }
            catch (PlaywrightException e) when (e.Message.Contains("Download is starting", StringComparison.Ordinal))
            {
                continue; // a file, not a page
            }
            visited++;
            var status = response?.Status ?? 0;
            if (status is 401 or 403 or 404 or >= 500 or 0)
            {
                dead.Add($"{url} answered {status} (linked from {from})");
                continue;
            }
            if (visited == 1) await ScreenshotsAsync(page, role);
            var here = new Uri(page.Url).PathAndQuery;
            var links = await page.EvaluateAsync<string[]>(
                "() => [...document.querySelectorAll('a[href]')].filter(a => !a.hasAttribute('download')).map(a => a.href)");
            foreach (var href in links)
            {
                if (!Uri.TryCreate(href, UriKind.Absolute, out var target) || target.GetLeftPart(UriPartial.Authority) != origin)
                    continue;
                var path = target.PathAndQuery;
                if (IsNotAPage(path) || !seen.Add(path)) continue;
                queue.Enqueue((path, here));
            }
        }
        await page.CloseAsync();
        visited.ShouldBeGreaterThan(3, $"the {role}'s home led almost nowhere");
        dead.ShouldBeEmpty($"dead links for the {role} ({visited} pages visited):\n{string.Join("\n", dead)}");
    }

    /// <summary>Sign-out (leaving would end the walk), the API and static files are not pages to walk.</summary>
    private static bool IsNotAPage(string path) =>
        path.StartsWith("/signout", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("/_content/", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("/css/", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("/js/", StringComparison.OrdinalIgnoreCase)
        || path.Contains("#", StringComparison.Ordinal);

    /// <summary>The home at desktop and phone size, under TestResults/screenshots, for a person to look at.</summary>
    private static async Task ScreenshotsAsync(IPage page, string role)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(folder, $"LinkCheckerBrowserTests.{role}-home-{width}.png"), FullPage = true,
            });
        }
        await page.SetViewportSizeAsync(1280, 800);
    }
}

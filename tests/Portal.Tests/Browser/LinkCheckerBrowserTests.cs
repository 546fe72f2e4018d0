using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Portal.Tests.Browser;

/// <summary>
/// No dead ends and no page a person cannot use (issue #27 items 1 and 8): in a practice with something on every page,
/// each role starts at its home and follows every link inside the portal breadth-first, each page once (GET only; not
/// sign-out, not downloads, not the API). Every page must open (no 401/403/404/5xx, no bounce to sign-in), pass
/// axe-core with no serious or critical violation, and not scroll sideways at 375 px. The pages no link reaches
/// (sign-in, activation, the refusal pages, second-factor enrolment) get the same checks. Screenshots of each home at
/// 1280×800 and 390×844 are saved under TestResults/screenshots.
/// </summary>
public sealed class LinkCheckerBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture)
{
    /// <summary>A guard against a link that makes endless addresses (a calendar's "next"), far above any role's count.</summary>
    private const int MaxPages = 200;

    private static readonly (string Role, string Home)[] Homes =
    [
        ("client", "/portal"), ("parent", "/portal"), ("owner", "/console"), ("clinician", "/console"),
        ("front-desk", "/console"), ("biller", "/console"), ("support", "/support"),
    ];

    /// <summary>Pages each role must find by following links (the start of the path), so a lost link is noticed too.</summary>
    private static readonly Dictionary<string, string[]> MustReach = new()
    {
        ["client"] = ["/portal/tasks", "/portal/insurance", "/portal/autopay", "/portal/documents/signatures/", "/portal/forms/",
            "/portal/assessments/", "/portal/account", "/account/passkeys", "/account/time-zone"],
        ["parent"] = ["/portal/tasks", "/portal/documents/signatures/", "/portal/account"],
        ["owner"] = ["/console/clients/", "/console/workflows/", "/console/documents/", "/console/forms/", "/console/signatures/",
            "/console/form-responses/", "/console/assignments/", "/console/practice/members", "/console/practice/settings",
            "/console/integrations", "/console/notifications", "/console/clients/access", "/account/second-factor",
            "/account/passkeys"],
        ["clinician"] = ["/console/clients/", "/console/signatures/", "/console/form-responses/", "/account/second-factor",
            "/account/passkeys"],
        ["front-desk"] = ["/console/clients/", "/console/clients/access", "/console/assignments/", "/account/second-factor"],
        ["biller"] = ["/console/clients/", "/account/second-factor"],
        ["support"] = ["/support/practices", "/support/accounts", "/support/audit", "/console/clients/", "/account/second-factor"],
    };

    [Fact]
    public async Task Every_page_each_role_reaches_from_its_home_opens_and_is_accessible_at_desktop_and_phone_width() =>
        await Run(async _ =>
    {
        var seeding = Stopwatch.StartNew();
        await using var practice = await FullPractice.SeedAsync(Fixture);
        output.WriteLine($"seeded in {seeding.Elapsed.TotalSeconds:0.0} s");

        var problems = new List<string>();
        foreach (var (role, home) in Homes)
        {
            var walk = Stopwatch.StartNew();
            var visited = await CrawlAsync(practice.Roles[role], home, role, problems);
            output.WriteLine($"{role}: {visited.Count} pages in {walk.Elapsed.TotalSeconds:0.0} s");
            foreach (var url in visited) output.WriteLine($"  {url}");
            foreach (var page in MustReach[role].Where(p => !visited.Any(v => v.StartsWith(p, StringComparison.Ordinal))))
                problems.Add($"[{role}] no link led to {page}");
        }
        problems.ShouldBeEmpty($"{problems.Count} problem(s):\n{string.Join("\n", problems)}");
    });

    [Fact]
    public async Task The_pages_no_link_reaches_sign_in_activation_refusals_and_second_factor_set_up_are_accessible() =>
        await Run(async page =>
    {
        await using var practice = await FullPractice.SeedAsync(Fixture);
        var problems = new List<string>();

        // Signed out: sign-in, password reset, activation with a fresh and with a used link, the refusal pages.
        foreach (var (url, status) in new[]
                 {
                     ("/signin", 200), ("/forgot-password", 200), ("/reset-password?token=not-a-real-token", 200),
                     ($"/activate?token={practice.FreshActivationToken}", 200),
                     ($"/activate?token={practice.UsedActivationToken}", 200),
                     ("/activate/member?token=not-a-real-token", 200), ("/confirm-email?token=not-a-real-token", 200),
                     ("/forbidden", 403), ("/no-such-page", 404),
                 })
            await CheckPageAsync(page, url, status, "signed out", problems);
        // The used link says so (the page a person with an old email sees), the fresh one asks for the date of birth.
        await page.GotoAsync($"/activate?token={practice.UsedActivationToken}");
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("expired or was already used");
        await page.GotoAsync($"/activate?token={practice.FreshActivationToken}");
        (await page.GetByLabel("Your date of birth").CountAsync()).ShouldBe(1);

        // Refusals inside each area: a record that is not there, a page of another role.
        var owner = await practice.Roles["owner"].NewPageAsync();
        await CheckPageAsync(owner, $"/console/clients/{Guid.NewGuid()}", 404, "owner", problems);
        await CheckPageAsync(owner, "/support", 403, "owner", problems);
        var client = await practice.Roles["client"].NewPageAsync();
        await CheckPageAsync(client, $"/console/clients/{practice.ClientId}", 403, "client", problems);
        await CheckPageAsync(client, "/portal/documents/signatures/" + Guid.NewGuid(), 404, "client", problems);

        // A member's first sign-in: the second-factor set-up page, before and after the key is shown.
        var email = await practice.NewMemberWithoutSecondFactorAsync(Fixture);
        await using var member = await BrowserJourney.NewContextAsync(Fixture);
        var enrolling = await member.NewPageAsync();
        await enrolling.GotoAsync("/signin");
        await enrolling.GetByLabel("Email").FillAsync(email);
        await enrolling.GetByLabel("Password").FillAsync(BrowserJourney.Password);
        await enrolling.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await enrolling.WaitForURLAsync("**/account/second-factor**");
        await CheckCurrentAsync(enrolling, "member", problems);
        await enrolling.GetByRole(AriaRole.Button, new() { Name = "Set up an authenticator app" }).ClickAsync();
        await enrolling.Locator("[data-totp-secret]").WaitForAsync();
        await CheckCurrentAsync(enrolling, "member", problems);
        await enrolling.GetByLabel("Code from the app").FillAsync("000000");
        await enrolling.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        await enrolling.WaitForLoadStateAsync();
        await CheckCurrentAsync(enrolling, "member (wrong code)", problems);
        await CheckPageAsync(enrolling, "/account/passkeys", 200, "member", problems);

        problems.ShouldBeEmpty($"{problems.Count} problem(s):\n{string.Join("\n", problems)}");
    });

    [Fact]
    public async Task The_page_checks_notice_an_image_without_words_and_a_block_wider_than_a_phone() => await Run(async page =>
    {
        // The checks above pass only if they can fail: the sign-in page with an unlabelled image and a 900 px block added.
        await page.GotoAsync("/signin");
        await page.EvaluateAsync("""
            () => {
              const img = document.createElement('img');
              img.src = '/favicon.ico';
              const wide = document.createElement('div');
              wide.style.width = '900px';
              wide.textContent = 'wide';
              document.querySelector('main').append(img, wide);
            }
            """);
        var problems = new List<string>();
        await CheckCurrentAsync(page, "self-test", problems);
        problems.ShouldContain(p => p.Contains("axe image-alt", StringComparison.Ordinal));
        problems.ShouldContain(p => p.Contains("scrolls sideways at 375 px", StringComparison.Ordinal) && p.Contains("div", StringComparison.Ordinal));
    });

    /// <summary>
    /// Breadth-first from <paramref name="home"/> in one page of the role's context; every problem names the page and
    /// where its link was. Returns the addresses visited, in order.
    /// </summary>
    private async Task<List<string>> CrawlAsync(IBrowserContext context, string home, string role, List<string> problems)
    {
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(1280, 800);
        var origin = Fixture.BaseAddress.GetLeftPart(UriPartial.Authority);
        var queue = new Queue<(string Url, string From)>([(home, "(home)")]);
        var seen = new HashSet<string>(StringComparer.Ordinal) { home };
        var visited = new List<string>();
        while (queue.Count > 0)
        {
            if (visited.Count >= MaxPages)
            {
                problems.Add($"[{role}] more than {MaxPages} pages: a link makes endless addresses? Next: {queue.Peek().Url}");
                break;
            }
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
            visited.Add(url);
            var status = response?.Status ?? 0;
            var landed = new Uri(page.Url).AbsolutePath;
            if (status is 401 or 403 or 404 or >= 500 or 0 || (landed == "/signin" && url != "/signin"))
            {
                problems.Add($"[{role}] {url} answered {status} at {landed} (linked from {from})");
                continue;
            }
            if (visited.Count == 1) await ScreenshotsAsync(page, role);
            await CheckCurrentAsync(page, role, problems, from);

            var links = await page.EvaluateAsync<string[]>(
                "() => [...document.querySelectorAll('a[href]')].filter(a => !a.hasAttribute('download')).map(a => a.href)");
            var here = new Uri(page.Url).PathAndQuery;
            foreach (var href in links)
            {
                if (!Uri.TryCreate(href, UriKind.Absolute, out var target) || target.GetLeftPart(UriPartial.Authority) != origin)
                    continue;
                var path = target.PathAndQuery; // without the fragment: "#main" is the same page
                if (IsNotAPage(target.AbsolutePath) || !seen.Add(path)) continue;
                queue.Enqueue((path, here));
            }
        }
        await page.CloseAsync();
        return visited;
    }

    /// <summary>Opens <paramref name="url"/>, expects <paramref name="status"/>, then the page checks.</summary>
    private static async Task CheckPageAsync(IPage page, string url, int status, string who, List<string> problems)
    {
        var response = await page.GotoAsync(url);
        if (response?.Status != status)
        {
            problems.Add($"[{who}] {url} answered {response?.Status} (expected {status})");
            return;
        }
        await CheckCurrentAsync(page, who, problems);
    }

    /// <summary>axe-core at desktop width (serious and critical), then no sideways scrolling at 375 px.</summary>
    private static async Task CheckCurrentAsync(IPage page, string who, List<string> problems, string? from = null)
    {
        var here = new Uri(page.Url).PathAndQuery;
        var linked = from is null ? string.Empty : $" (linked from {from})";
        foreach (var violation in await AxeAsync(page))
            problems.Add($"[{who}] {here}: axe {violation}{linked}");
        await page.SetViewportSizeAsync(375, 740);
        var wide = await page.EvaluateAsync<string[]>(Overflowing);
        if (wide.Length > 0) problems.Add($"[{who}] {here}: scrolls sideways at 375 px: {string.Join(", ", wide)}{linked}");
        await page.SetViewportSizeAsync(1280, 800);
    }

    /// <summary>
    /// Empty when the page fits; otherwise the innermost elements that stick out past the right edge (what to fix).
    /// </summary>
    private const string Overflowing = """
        () => {
          if (document.documentElement.scrollWidth <= window.innerWidth) return [];
          const edge = document.documentElement.clientWidth;
          const out = [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > edge + 1
            && ![...e.children].some(c => c.getBoundingClientRect().right > edge + 1));
          const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
            + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
          return [`scrollWidth ${document.documentElement.scrollWidth}`, ...out.slice(0, 5).map(name)];
        }
        """;

    private static async Task<IEnumerable<string>> AxeAsync(IPage page)
    {
        // Evaluated through the DevTools protocol rather than a <script> tag, so the page's own CSP stays in force.
        await page.EvaluateAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "axe.min.js")));
        var json = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document)).violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`)
            """);
        return json.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    /// <summary>Sign-out (leaving would end the walk), the API and static files are not pages to walk.</summary>
    private static bool IsNotAPage(string path) =>
        path.StartsWith("/signout", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("/_content/", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("/css/", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("/js/", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("/practice-looks/", StringComparison.OrdinalIgnoreCase);

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

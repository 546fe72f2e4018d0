using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;
using Portal.Tests.Infrastructure;
using Wolverine;

namespace Portal.Tests.Browser;

/// <summary>
/// The portal on a real Kestrel port (its own database, portal_browser, so it never shares Wolverine's durable
/// storage with the Alba host) and a headless Debian Chromium driven by Playwright.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    private PortalWebHost _factory = null!;
    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public IServiceProvider Services => _factory.Services;

    /// <summary>The SMTP server the browser host sends its emails to.</summary>
    public MailCapture Mail { get; } = new();

    /// <summary>The database of this fixture's host (a derived fixture for another configuration names its own).</summary>
    protected virtual string DatabaseName => "portal_browser";

    /// <summary>Configuration a derived fixture adds (Stripe mode, say); called before the host starts.</summary>
    protected virtual Task<IReadOnlyDictionary<string, string>> SettingsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    /// <summary>The run's fixture, for the journey helpers that type a sign-in's authenticator code (one per test run).</summary>
    internal static BrowserFixture? Current { get; private set; }

    public virtual async Task InitializeAsync()
    {
        Current = this;
        var database = await ScratchDatabase.EnsureAsync(DatabaseName);
        Mail.Start();
        // Every browser test's people reach the host from 127.0.0.1: the per-address budget for account requests (meant
        // for one network) would refuse the suite's sign-ins with 429. The per-email limits still apply.
        var settings = new Dictionary<string, string> { ["Portal:RateLimits:AccountRequestsPerMinute"] = "10000" };
        foreach (var (key, value) in await SettingsAsync()) settings[key] = value;
        _factory = new PortalWebHost(database.ConnectionString, Mail, settings);
        BaseAddress = _factory.Start();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    public virtual async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await _factory.DisposeAsync();
        await Mail.DisposeAsync();
    }

    public Task ResetDataAsync() => Services.GetRequiredService<IDocumentStore>().Advanced.ResetAllData();
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

/// <summary>
/// Base class for browser tests: a fresh browser context and page per test, data reset first, a screenshot saved
/// under TestResults/screenshots when the test fails, and axe-core on demand.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserFixture fixture) : IAsyncLifetime
{
    private IBrowserContext _context = null!;

    protected BrowserFixture Fixture => fixture;
    protected IPage Page { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await fixture.ResetDataAsync();
        _context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString() });
        Page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    /// <summary>Runs the browser steps; on failure saves a full-page screenshot named after the test, then rethrows.</summary>
    protected async Task Run(Func<IPage, Task> steps, [System.Runtime.CompilerServices.CallerMemberName] string testName = "")
    {
        try
        {
            await steps(Page);
        }
        catch
        {
            var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
            Directory.CreateDirectory(folder);
            await Page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(folder, $"{GetType().Name}.{testName}.png"), FullPage = true
            });
            throw;
        }
    }

    /// <summary>Runs axe-core (from its npm package, read from disk) on the current page.</summary>
    protected async Task<IReadOnlyList<AxeViolation>> AxeViolationsAsync()
    {
        // Evaluated through the DevTools protocol rather than a <script> tag, so the page's own CSP stays in force.
        await Page.EvaluateAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "axe.min.js")));
        var json = await Page.EvaluateAsync<System.Text.Json.JsonElement>(
            "async () => (await axe.run(document)).violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }))");
        return System.Text.Json.JsonSerializer.Deserialize<List<AxeViolation>>(json.GetRawText(),
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
    }
}

public sealed record AxeViolation(string Id, string? Impact, string Help, int Nodes)
{
    public bool IsSeriousOrCritical => Impact is "serious" or "critical";
}

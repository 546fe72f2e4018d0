using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Portal.Tests.Autopay.Stripe;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>The browser host in Stripe mode (its own database), its Stripe client pointed at <see cref="FakeStripe"/>.</summary>
public sealed class StripeBrowserFixture : BrowserFixture
{
    public FakeStripe Stripe { get; } = new();

    protected override string DatabaseName => "portal_browser_stripe";

    protected override async Task<IReadOnlyDictionary<string, string>> SettingsAsync()
    {
        await Stripe.StartAsync();
        return new Dictionary<string, string>
        {
            ["Payments:Provider"] = "Stripe",
            ["Payments:Stripe:SecretKey"] = FakeStripe.SecretKey,
            ["Payments:Stripe:PublishableKey"] = FakeStripe.PublishableKey,
            ["Payments:Stripe:WebhookSecret"] = FakeStripe.WebhookSecret,
            ["Payments:Stripe:ApiBase"] = Stripe.ApiBase,
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StripeBrowserCollection : ICollectionFixture<StripeBrowserFixture>
{
    public const string Name = "browser-stripe";
}

/// <summary>
/// The autopay page in Stripe mode in Chromium, with the page's real Content-Security-Policy in force. No network is
/// reachable here, so Playwright answers for js.stripe.com and api.stripe.com: a Stripe.js stand-in with the calls the
/// page makes (Stripe(), elements(), create("payment").mount(), confirmSetup()), whose confirmation reaches the same
/// fake Stripe the portal's server talks to. What only Stripe's test mode shows: the real Payment Element and 3-D Secure.
/// </summary>
[Collection(StripeBrowserCollection.Name)]
public sealed class StripeAutopayBrowserTests(StripeBrowserFixture fixture) : IAsyncLifetime
{
    private const string StripeJsStandIn = """
        window.Stripe = function (publishableKey) {
          return {
            elements: function (options) {
              return {
                clientSecret: options.clientSecret,
                create: function () {
                  return { mount: function (selector) {
                    var input = document.createElement("input");
                    input.id = "stand-in-card-number";
                    input.setAttribute("aria-label", "Card number (Stripe)");
                    document.querySelector(selector).appendChild(input);
                  } };
                }
              };
            },
            confirmSetup: function (args) {
              var secret = args.elements.clientSecret;
              var id = secret.split("_secret_")[0];
              var body = "client_secret=" + encodeURIComponent(secret) + "&key=" + encodeURIComponent(publishableKey) +
                "&payment_method_data[card][number]=" + encodeURIComponent(document.getElementById("stand-in-card-number").value);
              return fetch("https://api.stripe.com/v1/setup_intents/" + id + "/confirm", {
                method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: body
              }).then(function (r) { return r.json(); }).then(function (intent) {
                return intent.error ? { error: intent.error } : { setupIntent: intent };
              });
            }
          };
        };
        """;

    public async Task InitializeAsync()
    {
        await fixture.ResetDataAsync();
        fixture.Stripe.Clear();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_client_enrols_with_Stripes_card_form_under_Stripes_CSP_and_the_portal_gets_only_the_SetupIntent()
    {
        await using var signedIn = await BrowserJourney.ProviderAndClientSignedInAsync(fixture);
        var page = await signedIn.Client.NewPageAsync();
        try
        {
            var csp = BrowserJourney.WatchCsp(page);
            var confirmations = new List<string>();
            var portalPosts = new List<string>();
            page.Request += (_, request) =>
            {
                if (request.Method == "POST" && request.Url.StartsWith(fixture.BaseAddress.ToString(), StringComparison.Ordinal))
                    portalPosts.Add(request.PostData ?? string.Empty);
            };
            await page.RouteAsync("https://js.stripe.com/v3/", route => route.FulfillAsync(new()
            {
                Status = 200, ContentType = "application/javascript", Body = StripeJsStandIn,
            }));
            await page.RouteAsync("https://api.stripe.com/**", async route =>
            {
                var form = System.Web.HttpUtility.ParseQueryString(route.Request.PostData ?? string.Empty);
                confirmations.Add(route.Request.PostData ?? string.Empty);
                var expiry = DateTime.UtcNow.AddYears(2);
                var setup = fixture.Stripe.ConfirmSetup(form["client_secret"]!, form["payment_method_data[card][number]"]!, expiry.Month, expiry.Year);
                var intent = fixture.Stripe.Object(setup);
                await route.FulfillAsync(new()
                {
                    Status = 200, ContentType = "application/json",
                    Body = new JsonObject { ["id"] = setup, ["object"] = "setup_intent", ["status"] = (string?)intent["status"] }.ToJsonString(),
                    Headers = new Dictionary<string, string> { ["Access-Control-Allow-Origin"] = "*" },
                });
            });

            await page.SetViewportSizeAsync(1280, 800);
            await page.GotoAsync("/portal/autopay");
            await page.Locator("#stand-in-card-number").WaitForAsync();
            (await page.Locator("main").InnerTextAsync()).ShouldNotContain("Test cards");
            (await page.Locator("#card-number").CountAsync()).ShouldBe(0);
            await Screenshot(page, "stripe-autopay-1280");
            await page.SetViewportSizeAsync(390, 844);
            (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
            await Screenshot(page, "stripe-autopay-390");

            await page.Locator("#stand-in-card-number").FillAsync("4242424242424242");
            await page.GetByLabel("Name on card").FillAsync("Casey Client");
            await page.GetByLabel("Billing postal code").FillAsync("97201");
            await page.GetByLabel("I have read and agree to the autopay authorization").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Enroll in autopay" }).ClickAsync();
            await page.WaitForURLAsync("**/portal/autopay?done=enrolled");

            (await page.Locator("main").InnerTextAsync()).ShouldContain("Visa ending 4242");
            confirmations.ShouldHaveSingleItem().ShouldContain("4242424242424242");
            portalPosts.ShouldNotBeEmpty();
            portalPosts.ShouldAllBe(body => !body.Contains("4242424242424242") && !body.Contains("_secret_"));
            portalPosts.ShouldContain(body => body.Contains("CardToken=seti_"));
            csp.ShouldBeEmpty();
            await Screenshot(page, "stripe-autopay-enrolled-390");
        }
        catch
        {
            await Screenshot(page, "stripe-autopay-failure");
            throw;
        }
    }

    private static async Task Screenshot(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}

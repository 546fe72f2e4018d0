using Alba;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Autopay.Stripe;

/// <summary>The pages in Stripe mode: the client's card form from Stripe, and the console's charges and refunds.</summary>
public sealed class StripePagesTests(StripeFixture fixture) : StripeTest(fixture)
{
    public const string StripeCsp =
        "default-src 'self'; script-src 'self' https://js.stripe.com https://*.js.stripe.com; style-src 'self'; " +
        "img-src 'self' data: blob:; font-src 'self'; connect-src 'self' https://api.stripe.com; form-action 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; object-src 'none'; " +
        "frame-src 'self' https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com";

    [Fact]
    public async Task The_autopay_page_loads_the_Payment_Element_from_Stripe_with_Stripes_CSP_and_shows_no_test_cards()
    {
        var client = await AClientAsync();
        var page = await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/portal/autopay");
            s.StatusCodeShouldBeOk();
        });
        var html = await page.ReadAsTextAsync();
        page.Context.Response.Headers.ContentSecurityPolicy.ToString().ShouldBe(StripeCsp);
        html.ShouldContain("<script src=\"https://js.stripe.com/v3/\"");
        html.ShouldContain("id=\"payment-element\"");
        html.ShouldContain($"data-stripe-key=\"{FakeStripe.PublishableKey}\"");
        html.ShouldContain("data-client-secret=\"seti_");
        html.ShouldNotContain("4242 4242 4242 4242");
        html.ShouldNotContain("Test cards");
        html.ShouldNotContain("id=\"card-number\"");
        html.ShouldNotContain("/sandbox-gateway/tokens");

        // Only that page: another page keeps the strict policy.
        var other = await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/portal");
        });
        other.Context.Response.Headers.ContentSecurityPolicy.ToString().ShouldNotContain("stripe");
    }

    [Fact]
    public async Task The_client_sees_their_payments_with_date_amount_card_and_refunds()
    {
        var client = await AClientAsync();
        await EnrolAsync(client, await SetUpCardAsync(client, "4242424242424242"));
        await PostBalanceAsync(client, 12000, "visit-1", 201);
        await RefundAsync(client, "visit-1", 2000, "refund-1", client.Provider);

        var html = await (await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/portal/autopay");
        })).ReadAsTextAsync();
        html.ShouldContain("Your payments");
        html.ShouldContain("$120.00");
        html.ShouldContain("Visa ending 4242");
        html.ShouldContain("Paid, $20.00 refunded");
        html.ShouldNotContain("Session on 2026-11-20");
    }

    [Fact]
    public async Task A_biller_posts_a_charge_and_refunds_it_with_a_reason_from_the_console_page()
    {
        var client = await AClientAsync();
        await EnrolAsync(client, await SetUpCardAsync(client, "4242424242424242"));
        var biller = await Host.NewMemberAsync(client.Provider, StaffRole.Biller);
        var url = $"/console/clients/{client.ClientId}/autopay";

        var page = await Host.OpenPageAsync(biller, url);
        var key = System.Text.RegularExpressions.Regex.Match(page.Html, "name=\"IdempotencyKey\" value=\"([^\"]+)\"").Groups[1].Value;
        var fields = new Dictionary<string, string> { ["Amount"] = "95.50", ["Description"] = "Session", ["IdempotencyKey"] = key };
        var posted = await Host.Scenario(s => s.PostForm(biller, page, url, "Charge", new(fields)));
        posted.Context.Response.StatusCode.ShouldBe(302);
        // The same form submitted twice charges once.
        await Host.Scenario(s => s.PostForm(biller, page, url, "Charge", new(fields)));
        Stripe.Requests.Count(r => r is { Method: "POST", Path: "/v1/payment_intents" }).ShouldBe(1);

        page = await Host.OpenPageAsync(biller, url);
        page.Html.ShouldContain("$95.50");
        var chargeKey = System.Text.RegularExpressions.Regex.Match(page.Html, "name=\"ChargeKey\" value=\"([^\"]+)\"").Groups[1].Value;
        var refundKey = System.Text.RegularExpressions.Regex.Match(page.Html, "name=\"IdempotencyKey\" value=\"([^\"]+)\"").Groups[1].Value;

        var noReason = await Host.Scenario(s => s.PostForm(biller, page, url, "Refund",
            new() { ["ChargeKey"] = chargeKey, ["IdempotencyKey"] = refundKey, ["Amount"] = "10", ["Reason"] = "" }));
        noReason.Context.Response.StatusCode.ShouldBe(400);
        (await noReason.ReadAsTextAsync()).ShouldContain("Say why the charge is refunded.");

        var refunded = await Host.Scenario(s => s.PostForm(biller, page, url, "Refund",
            new() { ["ChargeKey"] = chargeKey, ["IdempotencyKey"] = refundKey, ["Amount"] = "10", ["Reason"] = "Late cancellation waived" }));
        refunded.Context.Response.StatusCode.ShouldBe(302);
        page = await Host.OpenPageAsync(biller, url);
        page.Html.ShouldContain("Refunded $10.00");
        page.Html.ShouldContain("Late cancellation waived");

        var frontDesk = await Host.NewMemberAsync(client.Provider, StaffRole.FrontDesk);
        var denied = await Host.Scenario(s =>
        {
            s.As(frontDesk);
            s.Get.Url(url);
            s.IgnoreStatusCode();
        });
        denied.Context.Response.StatusCode.ShouldBeOneOf(302, 403);
    }

    [Fact]
    public async Task A_biller_sees_the_clients_charges_failures_refunds_and_the_card_expiry_on_the_profile()
    {
        var client = await AClientAsync();
        await EnrolAsync(client, await SetUpCardAsync(client, "4242424242424242"));
        await PostBalanceAsync(client, 12000, "visit-1", 201);
        await RefundAsync(client, "visit-1", 3000, "refund-1", client.Provider);
        // A card whose charges are declined replaces the first.
        var (month, year) = FutureExpiry();
        var declining = await SetUpCardAsync(client, "4000000000000341");
        await Host.TrackedScenarioAsync(s =>
        {
            s.As(client);
            s.Put.Json(new
            {
                cardToken = declining, cardholderName = "Robin Client", billingPostalCode = "97201", consentVersion = Consent,
                agreedToAuthorization = true,
            }).ToUrl("/api/autopay/card");
            s.StatusCodeShouldBeOk();
        });
        await PostBalanceAsync(client, 8000, "visit-2", 201);
        var biller = await Host.NewMemberAsync(client.Provider, StaffRole.Biller);

        var profile = await Host.OpenPageAsync(biller, $"/console/clients/{client.ClientId}");

        var section = profile.Html[profile.Html.IndexOf("id=\"autopay-section-", StringComparison.Ordinal)..];
        section.ShouldContain($"Visa ending 0341, expires {month:00}/{year}");
        section.ShouldContain("$120.00");
        section.ShouldContain("Succeeded, $30.00 refunded");
        section.ShouldContain("$80.00");
        section.ShouldContain("Failed");
        section.ShouldContain("Your card was declined.");
        section.ShouldContain("Charges and refunds");

        var frontDesk = await Host.NewMemberAsync(client.Provider, StaffRole.FrontDesk);
        (await Host.OpenPageAsync(frontDesk, $"/console/clients/{client.ClientId}")).Html.ShouldNotContain("id=\"autopay-section-");
    }
}

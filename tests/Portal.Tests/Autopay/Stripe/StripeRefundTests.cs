using System.Text.Json;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Portal.Contracts;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Autopay.Stripe;

/// <summary>Refunds in Stripe mode: at once from two screens, and what the client is told.</summary>
public sealed class StripeRefundTests(StripeFixture fixture) : StripeTest(fixture)
{
    private const string Visa = "4242424242424242";

    private async Task<ClientActor> PaidAsync(long cents)
    {
        var client = await AClientAsync();
        await EnrolAsync(client, await SetUpCardAsync(client, Visa));
        await PostBalanceAsync(client, cents, "visit-1", 201);
        return client;
    }

    /// <summary>Several refund requests sent together, as two billers clicking at the same moment would.</summary>
    private async Task<(int Status, JsonElement Body)[]> RefundTogetherAsync(ClientActor client, long amountCents, int count)
    {
        var results = await Task.WhenAll(Enumerable.Range(1, count).Select(i => Task.Run(() => Host.Scenario(s =>
        {
            s.As(client.Provider);
            s.Post.Json(new { amountCents, reason = "Refund from the front office", idempotencyKey = $"together-{i}" })
                .ToUrl($"/api/autopay/clients/{client.ClientId}/charges/visit-1/refunds");
            s.IgnoreStatusCode();
        }))));
        return await Task.WhenAll(results.Select(async r => (r.Context.Response.StatusCode, await r.ReadAsJsonAsync<JsonElement>())));
    }

    private async Task<long> RefundedCentsAsync(ClientActor client) =>
        (await ClientAutopayAsync(client)).GetProperty("charges")[0].GetProperty("refundedCents").GetInt64();

    [Fact]
    public async Task Refunds_sent_at_once_never_refund_more_than_was_paid_and_the_losers_get_409()
    {
        var client = await PaidAsync(10000);

        var answers = await RefundTogetherAsync(client, 8000, count: 4);

        answers.Count(a => a.Status == 201).ShouldBe(1);
        var losers = answers.Where(a => a.Status != 201).ToList();
        losers.Count.ShouldBe(3);
        losers.ShouldAllBe(a => a.Status == 409);
        losers.ShouldAllBe(a => a.Body.GetProperty("code").GetString() == "refund_exceeds_remaining");
        losers[0].Body.GetProperty("errors").GetProperty("amountCents")[0].GetString()
            .ShouldBe("At most $20.00 of this charge is left to refund.");
        Stripe.Requests.Count(r => r is { Method: "POST", Path: "/v1/refunds" }).ShouldBe(1);
        (await RefundedCentsAsync(client)).ShouldBe(8000);
    }

    [Fact]
    public async Task Refunds_sent_at_once_that_fit_within_the_charge_all_go_through_and_are_all_recorded()
    {
        var client = await PaidAsync(10000);

        var answers = await RefundTogetherAsync(client, 3000, count: 3);

        answers.Select(a => a.Status).ShouldBe([201, 201, 201]);
        Stripe.Requests.Count(r => r is { Method: "POST", Path: "/v1/refunds" }).ShouldBe(3);
        (await RefundedCentsAsync(client)).ShouldBe(9000);
        var charge = Stripe.ObjectsOf("charge").Single();
        ((long)charge["amount_refunded"]!).ShouldBe(9000);
    }

    [Fact]
    public async Task The_client_is_emailed_the_refund_with_amount_date_card_and_reason_never_the_practices_note()
    {
        var client = await PaidAsync(12000);
        Mail.Clear();

        var (tracked, result) = await Host.TrackedScenarioAsync(s =>
        {
            s.As(client.Provider);
            s.Post.Json(new
            {
                amountCents = 2500, reason = "Client was in hospital, session cancelled", idempotencyKey = "refund-1",
                clientReason = "duplicate",
            }).ToUrl($"/api/autopay/clients/{client.ClientId}/charges/visit-1/refunds");
            s.StatusCodeShouldBe(201);
        });
        var published = tracked.Published<AutopayPaymentRefunded>().ShouldHaveSingleItem();
        published.AmountCents.ShouldBe(2500);
        published.Reason.ShouldBe(AutopayRefundReason.Duplicate);

        var email = (await Mail.WaitForAsync()).ShouldHaveSingleItem();
        email.To.ToString().ShouldContain(client.Email);
        email.Subject.ShouldNotBeNull().ShouldContain("refunded $25.00 of your payment");
        var text = email.TextBody.ShouldNotBeNull();
        text.ShouldContain("refunded $25.00 of your autopay payment on");
        text.ShouldContain("because the payment was charged twice by mistake.");
        text.ShouldContain("Visa card ending in 4242");
        foreach (var body in new[] { email.Subject, text, email.HtmlBody ?? "" })
        {
            body.ShouldNotContain("hospital");
            body.ShouldNotContain("Session on");
        }

        // The same request again refunds nothing and emails nothing.
        Mail.Clear();
        var (again, _) = await RefundAsync(client, "visit-1", 2500, "refund-1", client.Provider);
        again.Published<AutopayPaymentRefunded>().ShouldBeEmpty();

        // An unknown reason for the client is refused, naming the field.
        var (_, wrong) = await Host.TrackedScenarioAsync(s =>
        {
            s.As(client.Provider);
            s.Post.Json(new { amountCents = 100, reason = "x", idempotencyKey = "refund-2", clientReason = "because" })
                .ToUrl($"/api/autopay/clients/{client.ClientId}/charges/visit-1/refunds");
            s.StatusCodeShouldBe(400);
        });
        (await wrong.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("clientReason", out _).ShouldBeTrue();
        Mail.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_refund_made_in_Stripes_dashboard_emails_the_client_once_even_when_the_event_is_replayed()
    {
        var client = await PaidAsync(12000);
        Mail.Clear();
        var pi = (string)Stripe.ObjectsOf("payment_intent").Single()["id"]!;
        var charge = Stripe.Object((string)Stripe.Object(pi)["latest_charge"]!);
        charge["amount_refunded"] = 12000L;
        charge["refunded"] = true;
        var payload = FakeStripe.Event("charge.refunded", charge, Now());

        var (first, _) = await DeliverAsync(payload, FakeStripe.Sign(payload, Now()));
        first.Published<AutopayPaymentRefunded>().ShouldHaveSingleItem().AmountCents.ShouldBe(12000);
        var email = (await Mail.WaitForAsync()).ShouldHaveSingleItem();
        email.TextBody.ShouldNotBeNull().ShouldContain("refunded $120.00 of your autopay payment");
        email.TextBody.ShouldContain("because the practice returned this payment.");

        Clock.Advance(TimeSpan.FromSeconds(20));
        var (again, _) = await DeliverAsync(payload, FakeStripe.Sign(payload, Now()));
        again.Published<AutopayPaymentRefunded>().ShouldBeEmpty();
        await Task.Delay(300);
        Mail.Messages.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Refunding_a_charge_that_does_not_exist_is_404_also_for_a_client_who_never_enrolled()
    {
        var enrolled = await PaidAsync(5000);
        var (_, unknown) = await RefundAsync(enrolled, "visit-9", 100, "refund-1", enrolled.Provider);
        unknown.Context.Response.StatusCode.ShouldBe(404);

        var neverEnrolled = await Host.NewClientWithAccountAsync(enrolled.Provider);
        var (_, none) = await RefundAsync(neverEnrolled, "visit-1", 100, "refund-1", enrolled.Provider);
        none.Context.Response.StatusCode.ShouldBe(404);
        Stripe.Requests.ShouldNotContain(r => r.Path == "/v1/refunds");
    }
}

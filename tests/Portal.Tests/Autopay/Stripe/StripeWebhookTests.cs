using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Portal.Contracts;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Autopay.Stripe;

/// <summary>
/// POST /webhooks/stripe with events signed as Stripe signs them, through Stripe.net's real verification: what is
/// unsigned, wrongly signed or stale changes nothing, a replay changes nothing, the rest moves the portal's state.
/// </summary>
public sealed class StripeWebhookTests(StripeFixture fixture) : StripeTest(fixture)
{
    private const string Visa = "4242424242424242";

    private async Task<(ClientActor Client, string PaymentIntent)> PaidChargeAsync(long cents = 12000)
    {
        var client = await AClientAsync();
        await EnrolAsync(client, await SetUpCardAsync(client, Visa));
        await PostBalanceAsync(client, cents, "visit-1", 201);
        var pi = Stripe.ObjectsOf("payment_intent").Single();
        return (client, (string)pi["id"]!);
    }

    private JsonObject ChargeRefundedAtStripe(string paymentIntent, long refunded)
    {
        var charge = Stripe.Object((string)Stripe.Object(paymentIntent)["latest_charge"]!);
        charge["amount_refunded"] = refunded;
        charge["refunded"] = true;
        return charge;
    }

    private async Task<long> RefundedCentsAsync(ClientActor client) =>
        (await ClientAutopayAsync(client)).GetProperty("charges")[0].GetProperty("refundedCents").GetInt64();

    [Fact]
    public async Task Unsigned_wrongly_signed_and_stale_events_are_refused_with_400_and_change_nothing()
    {
        var (client, pi) = await PaidChargeAsync();
        var payload = FakeStripe.Event("charge.refunded", ChargeRefundedAtStripe(pi, 12000), Now());

        var (_, unsigned) = await DeliverAsync(payload, signature: null, status: 400);
        (await unsigned.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Stripe-Signature", out _).ShouldBeTrue();
        await DeliverAsync(payload, FakeStripe.Sign(payload, Now(), secret: "whsec_someone_else"), status: 400);
        await DeliverAsync(payload, FakeStripe.Sign(payload + " ", Now()), status: 400);
        await DeliverAsync(payload, FakeStripe.Sign(payload, Now() - 301), status: 400);

        (await RefundedCentsAsync(client)).ShouldBe(0);
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.Query<Portal.Autopay.StripeGateway.StripeWebhookEvent>().CountAsync()).ShouldBe(0);

        // The same event, signed with the endpoint's secret within 5 minutes, is taken.
        await DeliverAsync(payload, FakeStripe.Sign(payload, Now() - 290));
        (await RefundedCentsAsync(client)).ShouldBe(12000);
    }

    [Fact]
    public async Task A_replayed_event_is_acknowledged_and_changes_nothing()
    {
        var (client, pi) = await PaidChargeAsync();
        var payload = FakeStripe.Event("charge.refunded", ChargeRefundedAtStripe(pi, 3000), Now());

        var (first, firstResult) = await DeliverAsync(payload, FakeStripe.Sign(payload, Now()));
        (await firstResult.ReadAsJsonAsync<JsonElement>()).GetProperty("replay").GetBoolean().ShouldBeFalse();
        first.Sent.MessagesOf<Portal.Autopay.StripeGateway.StripeChargeRefunded>().ShouldHaveSingleItem();

        Clock.Advance(TimeSpan.FromSeconds(30));
        var (again, replay) = await DeliverAsync(payload, FakeStripe.Sign(payload, Now()));
        (await replay.ReadAsJsonAsync<JsonElement>()).GetProperty("replay").GetBoolean().ShouldBeTrue();
        again.Sent.MessagesOf<Portal.Autopay.StripeGateway.StripeChargeRefunded>().ShouldBeEmpty();

        (await RefundedCentsAsync(client)).ShouldBe(3000);
        var history = (await ClientAutopayAsync(client)).GetProperty("history").EnumerateArray()
            .Select(h => h.GetProperty("what").GetString()!).ToList();
        history.Count(h => h.Contains("refunded", StringComparison.OrdinalIgnoreCase)).ShouldBe(1);
    }

    [Fact]
    public async Task A_refund_made_in_the_portal_is_not_counted_again_when_Stripe_reports_it()
    {
        var (client, pi) = await PaidChargeAsync();
        (await RefundAsync(client, "visit-1", 4000, "refund-1", client.Provider)).Result.Context.Response.StatusCode.ShouldBe(201);

        var payload = FakeStripe.Event("charge.refunded", Stripe.Object((string)Stripe.Object(pi)["latest_charge"]!), Now());
        await DeliverAsync(payload, FakeStripe.Sign(payload, Now()));
        (await RefundedCentsAsync(client)).ShouldBe(4000);
    }

    [Fact]
    public async Task A_payment_succeeded_event_for_a_charge_already_paid_sends_no_second_receipt()
    {
        var (client, pi) = await PaidChargeAsync();
        var payload = FakeStripe.Event("payment_intent.succeeded", Stripe.Object(pi), Now());
        var (tracked, _) = await DeliverAsync(payload, FakeStripe.Sign(payload, Now()));
        tracked.Published<AutopayPaymentReceived>().ShouldBeEmpty();
        (await ClientAutopayAsync(client)).GetProperty("charges")[0].GetProperty("status").GetString().ShouldBe("Succeeded");
    }

    [Fact]
    public async Task A_new_expiry_from_Stripe_updates_the_card_on_file_and_Last_Updated()
    {
        var client = await AClientAsync();
        await EnrolAsync(client, await SetUpCardAsync(client, Visa));
        var before = (await MyAutopayAsync(client)).GetProperty("autopay").GetProperty("lastUpdated").GetDateTimeOffset();
        var pm = (string)Stripe.ObjectsOf("payment_method").Single()["id"]!;
        var updated = Stripe.Object(pm);
        updated["card"]!["exp_year"] = FutureExpiry().Year + 3;

        Clock.Advance(TimeSpan.FromMinutes(10));
        var payload = FakeStripe.Event("payment_method.updated", updated, Now());
        await DeliverAsync(payload, FakeStripe.Sign(payload, Now()));

        var autopay = (await MyAutopayAsync(client)).GetProperty("autopay");
        autopay.GetProperty("status").GetString().ShouldBe("Active");
        autopay.GetProperty("card").GetProperty("expYear").GetInt32().ShouldBe(FutureExpiry().Year + 3);
        autopay.GetProperty("lastUpdated").GetDateTimeOffset().ShouldBeGreaterThan(before);
        autopay.GetProperty("lastUpdatedBy").GetString().ShouldBe("Stripe");
    }

    [Fact]
    public async Task The_card_removed_at_Stripe_suspends_autopay_and_tells_the_client()
    {
        var client = await AClientAsync();
        await EnrolAsync(client, await SetUpCardAsync(client, Visa));
        var pm = Stripe.Object((string)Stripe.ObjectsOf("payment_method").Single()["id"]!);
        pm["customer"] = null;

        var payload = FakeStripe.Event("payment_method.detached", pm, Now());
        var (tracked, _) = await DeliverAsync(payload, FakeStripe.Sign(payload, Now()));

        tracked.Published<AutopayChanged>().ShouldHaveSingleItem().Change.ShouldBe(AutopayChange.Suspended);
        var autopay = (await MyAutopayAsync(client)).GetProperty("autopay");
        autopay.GetProperty("status").GetString().ShouldBe("Suspended");
        autopay.GetProperty("suspendedReason").GetString()!.ShouldContain("removed at the payment processor");
        var (_, refused) = await PostBalanceAsync(client, 5000, "visit-after", 409);
    }

    [Fact]
    public async Task A_dispute_opened_at_Stripe_shows_on_the_charge()
    {
        var (client, pi) = await PaidChargeAsync();
        var dispute = new JsonObject
        {
            ["id"] = "dp_test1", ["object"] = "dispute", ["amount"] = 12000, ["currency"] = "usd",
            ["charge"] = (string?)Stripe.Object(pi)["latest_charge"], ["payment_intent"] = pi, ["reason"] = "fraudulent",
            ["status"] = "needs_response", ["created"] = Now(), ["livemode"] = false, ["is_charge_refundable"] = false,
        };
        var payload = FakeStripe.Event("charge.dispute.created", dispute, Now());
        await DeliverAsync(payload, FakeStripe.Sign(payload, Now()));

        var view = await ClientAutopayAsync(client);
        view.GetProperty("charges")[0].GetProperty("disputeReason").GetString().ShouldBe("fraudulent");
        view.GetProperty("history").EnumerateArray().ShouldContain(h => h.GetProperty("what").GetString()!.Contains("disputed"));
    }

    [Fact]
    public async Task An_event_type_the_portal_does_not_follow_is_acknowledged_once()
    {
        var payload = FakeStripe.Event("customer.created", new JsonObject { ["id"] = "cus_x", ["object"] = "customer" }, Now());
        var (tracked, result) = await DeliverAsync(payload, FakeStripe.Sign(payload, Now()));
        (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("received").GetBoolean().ShouldBeTrue();
        tracked.Sent.AllMessages().ShouldBeEmpty();
    }
}

using System.Text.Json.Nodes;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Portal.Autopay.Charges;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Autopay.Stripe;

/// <summary>The payment and setup events of Stripe's webhook that the other webhook tests do not reach.</summary>
public sealed class StripePaymentEventsTests(StripeFixture fixture) : StripeTest(fixture)
{
    [Fact]
    public async Task A_charge_whose_answer_the_portal_missed_is_settled_by_Stripes_payment_succeeded_and_failed_events()
    {
        var client = await AClientAsync();
        await EnrolAsync(client, await SetUpCardAsync(client, "4242424242424242"));
        await PostBalanceAsync(client, 5000, "visit-1", 201);
        await PostBalanceAsync(client, 7000, "visit-2", 201);
        // As if the portal stopped after asking Stripe: both charges still wait for Stripe's answer.
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            foreach (var key in new[] { "visit-1", "visit-2" })
            {
                var waiting = (await session.LoadAsync<AutopayCharge>(AutopayCharge.IdFor(client.ClientId, key)))!;
                waiting.Status = AutopayChargeStatus.Pending;
                waiting.SettledAt = null;
                session.Store(waiting);
            }
            await session.SaveChangesAsync();
        }
        var intents = Stripe.ObjectsOf("payment_intent").ToDictionary(pi => (long)pi["amount"]!, pi => pi);

        var paid = FakeStripe.Event("payment_intent.succeeded", intents[5000], Now());
        var (tracked, _) = await DeliverAsync(paid, FakeStripe.Sign(paid, Now()));
        tracked.Published<AutopayPaymentReceived>().ShouldHaveSingleItem().AmountCents.ShouldBe(5000);

        var failedIntent = JsonNode.Parse(intents[7000].ToJsonString())!.AsObject();
        failedIntent["status"] = "requires_payment_method";
        failedIntent["last_payment_error"] = new JsonObject
        {
            ["type"] = "card_error", ["code"] = "card_declined", ["decline_code"] = "insufficient_funds",
            ["message"] = "Your card has insufficient funds.",
        };
        var failed = FakeStripe.Event("payment_intent.payment_failed", failedIntent, Now());
        await DeliverAsync(failed, FakeStripe.Sign(failed, Now()));

        var charges = (await ClientAutopayAsync(client)).GetProperty("charges").EnumerateArray()
            .ToDictionary(c => c.GetProperty("idempotencyKey").GetString()!);
        charges["visit-1"].GetProperty("status").GetString().ShouldBe("Succeeded");
        charges["visit-2"].GetProperty("status").GetString().ShouldBe("Failed");
        charges["visit-2"].GetProperty("failureMessage").GetString().ShouldBe("Your card has insufficient funds.");
        charges["visit-2"].GetProperty("nextAttemptAt").GetDateTimeOffset().ShouldBe(Clock.GetUtcNow().AddDays(1), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_setup_succeeded_event_puts_no_card_on_file_without_the_clients_consent()
    {
        var client = await AClientAsync();
        var setup = await SetUpCardAsync(client, "4242424242424242");

        var payload = FakeStripe.Event("setup_intent.succeeded", Stripe.Object(setup), Now());
        var (tracked, _) = await DeliverAsync(payload, FakeStripe.Sign(payload, Now()));

        tracked.Sent.AllMessages().ShouldBeEmpty();
        (await MyAutopayAsync(client)).GetProperty("autopay").GetProperty("status").GetString().ShouldBe("NotEnrolled");
    }
}

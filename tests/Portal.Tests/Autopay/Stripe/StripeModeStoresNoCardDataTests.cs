using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Autopay.Stripe;

/// <summary>The no-card-data scan of <see cref="CardNumberIsNeverStoredTests"/>, after a run in Stripe mode.</summary>
public sealed class StripeModeStoresNoCardDataTests(StripeFixture fixture) : StripeTest(fixture)
{
    [Fact]
    public async Task After_saving_charging_refunding_and_webhooks_no_card_number_secret_or_client_secret_is_in_any_table_or_log()
    {
        const string visa = "4242424242424242";
        const string mastercard = "5555555555554444";
        var client = await AClientAsync();
        var entry = await Host.Scenario(s =>
        {
            s.As(client);
            s.Post.Url("/api/autopay/card-entry");
        });
        var clientSecret = System.Text.Json.JsonDocument.Parse(await entry.ReadAsTextAsync()).RootElement.GetProperty("clientSecret").GetString()!;
        var (month, year) = FutureExpiry();
        var setup = Stripe.ConfirmSetup(clientSecret, visa, month, year);
        await EnrolAsync(client, setup);
        await PostBalanceAsync(client, 12000, "visit-1", 201);
        await RefundAsync(client, "visit-1", 2000, "refund-1", client.Provider);
        var pi = (string)Stripe.ObjectsOf("payment_intent").Single()["id"]!;
        var payload = FakeStripe.Event("payment_intent.succeeded", Stripe.Object(pi), Now());
        await DeliverAsync(payload, FakeStripe.Sign(payload, Now()));
        // A second card replaces the first.
        await Host.TrackedScenarioAsync(s =>
        {
            s.As(client);
            s.Put.Json(new
            {
                cardToken = "", cardholderName = "Robin Client", billingPostalCode = "97201", consentVersion = Consent, agreedToAuthorization = true,
            }).ToUrl("/api/autopay/card");
            s.StatusCodeShouldBe(400);
        });
        var second = await SetUpCardAsync(client, mastercard);
        await Host.TrackedScenarioAsync(s =>
        {
            s.As(client);
            s.Put.Json(new
            {
                cardToken = second, cardholderName = "Robin Client", billingPostalCode = "97201", consentVersion = Consent, agreedToAuthorization = true,
            }).ToUrl("/api/autopay/card");
            s.StatusCodeShouldBeOk();
        });

        // The search finds what is stored: the Stripe Customer id is kept (its link and the card on file's token).
        var customer = (string)Stripe.ObjectsOf("customer").Single()["id"]!;
        (await CardNumberIsNeverStoredTests.TablesContaining(customer, Database.ConnectionString)).ShouldNotBeEmpty();

        Logs.Lines.ShouldNotBeEmpty();
        // The SetupIntents (the browser's single-use references to a card) are exchanged, never kept.
        var secrets = new[] { clientSecret, FakeStripe.SecretKey, FakeStripe.WebhookSecret, setup, second };
        foreach (var value in secrets.Concat(new[] { visa, mastercard }.SelectMany(CardNumberIsNeverStoredTests.Forms)))
        {
            (await CardNumberIsNeverStoredTests.TablesContaining(value, Database.ConnectionString)).ShouldBeEmpty($"{value} is stored");
            Logs.Lines.Where(line => line.Contains(value, StringComparison.Ordinal)).ShouldBeEmpty($"{value} was logged");
        }
    }
}

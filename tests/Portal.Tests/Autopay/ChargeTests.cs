using System.Text.Json;
using Alba;
using Marten;
using Portal.Autopay.Accounts;
using Portal.Autopay.SandboxGateway;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Autopay;

public sealed class ChargeTests(PortalFixture fixture) : AutopayTest(fixture)
{
    [Fact]
    public async Task A_repeated_idempotency_key_charges_the_card_once()
    {
        var client = await AClientAsync();
        await EnrolWithCardAsync(client, "4242424242424242");

        var (_, first) = await PostBalanceAsync(client, 15000, "invoice-2026-11-20", 201);
        var (_, second) = await PostBalanceAsync(client, 15000, "invoice-2026-11-20", 200);

        var firstCharge = await first.ReadAsJsonAsync<JsonElement>();
        var secondCharge = await second.ReadAsJsonAsync<JsonElement>();
        firstCharge.GetProperty("status").GetString().ShouldBe("Succeeded");
        secondCharge.GetProperty("chargeId").GetString().ShouldBe(firstCharge.GetProperty("chargeId").GetString());
        second.Context.Response.Headers["Idempotent-Replayed"].ToString().ShouldBe("true");

        await using var session = OpenSession();
        (await session.Query<SandboxCharge>().CountAsync()).ShouldBe(1);
        var events = await session.Events.FetchStreamAsync(AutopayStream.For(client.ClientId));
        events.Select(e => e.Data).OfType<AutopayChargeSucceeded>().ShouldHaveSingleItem().AmountCents.ShouldBe(15000);
    }

    [Fact]
    public async Task Reusing_an_idempotency_key_for_another_amount_is_refused()
    {
        var client = await AClientAsync();
        await EnrolWithCardAsync(client, "4242424242424242");
        await PostBalanceAsync(client, 15000, "invoice-7", 201);

        var (_, result) = await PostBalanceAsync(client, 9000, "invoice-7", 409);
        (await TitleOf(result)).ShouldStartWith("This idempotency key was already used for a charge of another amount.");

        await using var session = OpenSession();
        (await session.Query<SandboxCharge>().CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task A_provider_cannot_charge_another_providers_client()
    {
        var client = await AClientAsync();
        await EnrolWithCardAsync(client, "4242424242424242");
        var otherProvider = await Host.NewProviderAsync();
        await Host.Scenario(s =>
        {
            s.As(otherProvider);
            s.Post.Json(new { amountCents = 5000, idempotencyKey = "k-1" }).ToUrl($"/api/autopay/clients/{client.ClientId}/charges");
            s.StatusCodeShouldBe(404);
        });
    }

    [Fact]
    public async Task Three_failing_days_suspend_autopay_and_tell_the_client_and_the_provider_why()
    {
        var client = await AClientAsync();
        await EnrolWithCardAsync(client, "4000000000000341");

        var (day1, first) = await PostBalanceAsync(client, 12000, "visit-42", 201);
        var charge = await first.ReadAsJsonAsync<JsonElement>();
        charge.GetProperty("status").GetString().ShouldBe("Failed");
        charge.GetProperty("failureMessage").GetString().ShouldBe("Your card was declined. Please use a different card or contact your bank.");
        Published<AutopayChanged>(day1).ShouldBeEmpty();

        // The retry waits for the next day by the portal's clock.
        Clock.Advance(TimeSpan.FromHours(23));
        var early = await day1.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        (await ConsecutiveFailures(client)).ShouldBe(1);

        Clock.Advance(TimeSpan.FromHours(1));
        var day2 = await early.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        (await ConsecutiveFailures(client)).ShouldBe(2);
        Published<AutopayChanged>(day2).ShouldBeEmpty();

        Clock.Advance(TimeSpan.FromDays(1));
        var day3 = await day2.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));

        var suspended = Published<AutopayChanged>(day3).ShouldHaveSingleItem();
        suspended.Change.ShouldBe(AutopayChange.Suspended);
        suspended.ClientId.ShouldBe(client.ClientId);
        suspended.ProviderId.ShouldBe(client.Provider.ProviderId);
        suspended.Actor.Kind.ShouldBe(ActorKind.System);
        suspended.Reason.ShouldBe("The Visa card ending 0341 was declined 3 times in a row. The last answer was: Your card was declined. " +
                                  "Please use a different card or contact your bank. " +
                                  "Autopay is paused until the card on file is updated on the Autopay page of the portal.");

        client = await SignInAgainAsync(client);
        var autopay = await MyAutopayAsync(client);
        autopay.GetProperty("status").GetString().ShouldBe("Suspended");
        autopay.GetProperty("suspendedReason").GetString().ShouldBe(suspended.Reason);

        await using var session = OpenSession();
        (await session.Query<SandboxCharge>().CountAsync()).ShouldBe(3);
        var (_, refused) = await PostBalanceAsync(client, 5000, "visit-43", 409);
        (await TitleOf(refused)).ShouldStartWith("Autopay is suspended for this client");
    }

    [Fact]
    public async Task A_charge_that_succeeds_on_retry_resets_the_failure_count()
    {
        var client = await AClientAsync();
        await EnrolWithCardAsync(client, "4000000000000341");
        var (day1, _) = await PostBalanceAsync(client, 12000, "visit-50", 201);
        (await ConsecutiveFailures(client)).ShouldBe(1);

        var newToken = await TokenAsync(client, "4242424242424242");
        await TrackedScenario(s =>
        {
            AsClient(s, client);
            s.Put.Json(new { cardToken = newToken, cardholderName = "Robin Client", billingPostalCode = "97201",
                    consentVersion = Consent, agreedToAuthorization = true })
                .ToUrl("/api/autopay/card");
            s.StatusCodeShouldBeOk();
        });

        Clock.Advance(TimeSpan.FromDays(1));
        await day1.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));

        await using var session = OpenSession();
        var events = await session.Events.FetchStreamAsync(AutopayStream.For(client.ClientId));
        events.Select(e => e.Data).OfType<AutopayChargeSucceeded>().ShouldHaveSingleItem().Attempt.ShouldBe(2);
        (await ConsecutiveFailures(client)).ShouldBe(0);
    }

    private async Task<int> ConsecutiveFailures(ClientActor client)
    {
        await using var session = OpenSession();
        var account = await session.LoadAsync<AutopayAccount>(AutopayStream.For(client.ClientId));
        return account!.ConsecutiveFailures;
    }
}

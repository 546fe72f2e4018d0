using System.Text.Json;
using Alba;
using Marten;
using Portal.Autopay.Accounts;
using Portal.Contracts;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Autopay;

public sealed class EnrolmentTests(PortalFixture fixture) : AutopayTest(fixture)
{
    [Fact]
    public async Task The_sandbox_tokenization_endpoint_returns_only_a_token_brand_last_four_digits_and_expiry()
    {
        var client = await AClientAsync();
        var (month, year) = FutureExpiry();
        var result = await TokenizeAsync(client, "4242424242424242", month, year);
        var body = await result.ReadAsJsonAsync<JsonElement>();

        body.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["brand", "expMonth", "expYear", "last4", "token"]);
        body.GetProperty("token").GetString()!.ShouldStartWith("tok_");
        body.GetProperty("brand").GetString().ShouldBe("Visa");
        body.GetProperty("last4").GetString().ShouldBe("4242");
        body.GetProperty("expMonth").GetInt32().ShouldBe(month);
        body.GetProperty("expYear").GetInt32().ShouldBe(year);
    }

    [Fact]
    public async Task A_client_enrols_with_consent_and_the_version_time_and_IP_address_are_kept()
    {
        var client = await AClientAsync();
        var (tracked, result) = await EnrolWithCardAsync(client, "4242424242424242");

        var view = await result.ReadAsJsonAsync<JsonElement>();
        view.GetProperty("status").GetString().ShouldBe("Active");
        view.GetProperty("card").GetProperty("brand").GetString().ShouldBe("Visa");

        await using var session = OpenSession();
        var events = await session.Events.FetchStreamAsync(Portal.Autopay.Accounts.AutopayStream.For(client.ClientId));
        var enrolled = events.Select(e => e.Data).OfType<AutopayEnrolled>().ShouldHaveSingleItem();
        enrolled.Consent.Version.ShouldBe(Consent);
        enrolled.Consent.AgreedAt.ShouldBe(Clock.GetUtcNow());
        enrolled.Consent.IpAddress.ShouldBe(ClientIp);
        enrolled.Consent.UserAgent.ShouldBe("AutopayTests/1.0");
        enrolled.Card.CardholderName.ShouldBe("Robin Client");
        enrolled.Card.BillingPostalCode.ShouldBe("97201");

        var changed = Published<AutopayChanged>(tracked).ShouldHaveSingleItem();
        changed.Change.ShouldBe(AutopayChange.Enrolled);
        changed.ClientId.ShouldBe(client.ClientId);
        changed.ProviderId.ShouldBe(client.Provider.ProviderId);
        changed.Actor.Kind.ShouldBe(ActorKind.Client);
        var userId = await UserIdOf(client);
        changed.Actor.UserId.ShouldBe(userId);

        var audit = await session.Query<Portal.BuildingBlocks.Auditing.AuditEntry>().Where(a => a.ClientId == client.ClientId).ToListAsync();
        audit.ShouldContain(a => a.Action == "autopay.enrol" && a.Outcome == "enrolled" && a.ActorId == userId);
    }

    [Fact]
    public async Task Enrolling_without_agreeing_to_the_authorization_is_refused_and_nothing_is_saved()
    {
        var client = await AClientAsync();
        var token = await TokenAsync(client, "4242424242424242");
        var (_, result) = await EnrolAsync(client, token, status: 400, agreed: false);

        var errors = (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("agreedToAuthorization")[0].GetString().ShouldBe("Please agree to the autopay authorization to save your card.");
        (await MyAutopayAsync(client)).GetProperty("status").GetString().ShouldBe("NotEnrolled");
    }

    [Theory]
    [InlineData("4000000000000002", "card_declined", "Your card was declined. Please use a different card or contact your bank.")]
    [InlineData("4000000000009995", "insufficient_funds", "Your card has insufficient funds. Please use a different card.")]
    [InlineData("4000000000009987", "lost_card", "Your card was declined because it has been reported lost. Please use a different card.")]
    [InlineData("4000000000000069", "expired_card", "Your card has expired. Please use a different card.")]
    public async Task A_declined_test_card_is_refused_with_a_clear_message(string number, string code, string message)
    {
        var client = await AClientAsync();
        var token = await TokenAsync(client, number);
        var (tracked, result) = await EnrolAsync(client, token, status: 400);

        var problem = await result.ReadAsJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty("cardToken")[0].GetString().ShouldBe(message);
        problem.GetProperty("code").GetString().ShouldBe(code);
        Published<AutopayChanged>(tracked).ShouldBeEmpty();
        (await MyAutopayAsync(client)).GetProperty("status").GetString().ShouldBe("NotEnrolled");
    }

    [Theory]
    [InlineData("4099990000000006")]
    [InlineData("5599990000000008")]
    public async Task FSA_and_HSA_cards_are_refused_by_autopay_with_a_clear_message(string number)
    {
        var client = await AClientAsync();
        var token = await TokenAsync(client, number);
        var (_, result) = await EnrolAsync(client, token, status: 400);

        var problem = await result.ReadAsJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().ShouldBe("health_savings_card");
        problem.GetProperty("title").GetString()!.ShouldStartWith("FSA and HSA cards can't be used for autopay.");
        (await MyAutopayAsync(client)).GetProperty("status").GetString().ShouldBe("NotEnrolled");
    }

    [Fact]
    public async Task An_expired_card_is_refused_at_tokenization()
    {
        var client = await AClientAsync();
        var lastMonth = Clock.GetUtcNow().AddMonths(-1);
        var result = await TokenizeAsync(client, "4242424242424242", lastMonth.Month, lastMonth.Year, status: 400);

        var problem = await result.ReadAsJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().ShouldBe("expired_card");
        problem.GetProperty("errors").GetProperty("expMonth")[0].GetString()
            .ShouldBe("Your card has expired. Please use a card with a future expiry date.");
    }

    [Fact]
    public async Task A_card_number_with_a_wrong_check_digit_is_refused_at_tokenization()
    {
        var client = await AClientAsync();
        var result = await TokenizeAsync(client, "4242424242424241", status: 400);

        var problem = await result.ReadAsJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().ShouldBe("incorrect_number");
        problem.GetProperty("errors").GetProperty("number")[0].GetString().ShouldBe("Your card number is incorrect. Please check it and try again.");
    }

    [Fact]
    public async Task A_card_token_can_be_used_only_once()
    {
        var client = await AClientAsync();
        var token = await TokenAsync(client, "4242424242424242");
        await EnrolAsync(client, token);
        await Host.Scenario(s =>
        {
            AsClient(s, client);
            s.Put.Json(new { cardToken = token, cardholderName = "Robin Client", billingPostalCode = "97201",
                    consentVersion = Consent, agreedToAuthorization = true })
                .ToUrl("/api/autopay/card");
            s.StatusCodeShouldBe(400);
        });
    }

    [Fact]
    public async Task A_signed_in_client_whose_account_is_no_longer_active_cannot_enrol()
    {
        var client = await AClientAsync();
        var token = await TokenAsync(client, "4242424242424242");
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).PublishMessageAndWaitAsync(new ClientRosterChanged(
            client.ClientId, client.Provider.ProviderId, client.Provider.PracticeId, client.Provider.PracticeName, client.FirstName, client.LastName,
            client.Email, client.DateOfBirth, Eligible: true, HasActiveAccount: false, Version: long.MaxValue));

        var (_, result) = await EnrolAsync(client, token, status: 403);
        (await TitleOf(result)).ShouldStartWith("Autopay needs an active portal account.");
    }

    [Fact]
    public async Task A_client_changes_the_card_then_cancels_and_each_change_is_published_with_the_client_as_actor()
    {
        var client = await AClientAsync();
        await EnrolWithCardAsync(client, "4242424242424242");
        var version = (await MyAutopayAsync(client)).GetProperty("version").GetInt64();
        var token = await TokenAsync(client, "5555555555554444");

        var (updated, _) = await TrackedScenario(s =>
        {
            AsClient(s, client);
            s.Put.Json(new { cardToken = token, cardholderName = "Robin Client", billingPostalCode = "97201",
                    consentVersion = Consent, agreedToAuthorization = true, version })
                .ToUrl("/api/autopay/card");
            s.StatusCodeShouldBeOk();
        });
        Published<AutopayChanged>(updated).ShouldHaveSingleItem().Change.ShouldBe(AutopayChange.CardUpdated);

        await Host.Scenario(s =>
        {
            AsClient(s, client);
            s.Post.Json(new { version }).ToUrl("/api/autopay/cancellation");
            s.StatusCodeShouldBe(409);
        });
        var (cancelled, _) = await TrackedScenario(s =>
        {
            AsClient(s, client);
            s.Post.Json(new { version = version + 1 }).ToUrl("/api/autopay/cancellation");
            s.StatusCodeShouldBeOk();
        });
        var change = Published<AutopayChanged>(cancelled).ShouldHaveSingleItem();
        change.Change.ShouldBe(AutopayChange.Cancelled);
        change.Actor.Kind.ShouldBe(ActorKind.Client);
        (await MyAutopayAsync(client)).GetProperty("status").GetString().ShouldBe("Cancelled");
    }

    [Fact]
    public async Task The_provider_sees_last_updated_and_the_history_of_their_own_client_only()
    {
        var client = await AClientAsync();
        await EnrolWithCardAsync(client, "4242424242424242");

        var result = await Host.Scenario(s =>
        {
            AsProvider(s, client);
            s.Get.Url($"/api/autopay/clients/{client.ClientId}");
        });
        var view = await result.ReadAsJsonAsync<JsonElement>();
        view.GetProperty("autopay").GetProperty("lastUpdated").GetDateTimeOffset().ShouldBe(Clock.GetUtcNow());
        view.GetProperty("history")[0].GetProperty("what").GetString()!.ShouldStartWith("Enrolled in autopay with Visa ending 4242");

        var otherProvider = await Host.NewProviderAsync();
        await Host.Scenario(s =>
        {
            s.As(otherProvider);
            s.Get.Url($"/api/autopay/clients/{client.ClientId}");
            s.StatusCodeShouldBe(404);
        });
    }
}

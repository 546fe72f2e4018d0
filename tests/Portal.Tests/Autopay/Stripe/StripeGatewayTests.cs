using System.Text.Json;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Portal.Contracts;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Autopay.Stripe;

/// <summary>The Stripe gateway through the real host, against the local Stripe stand-in (<see cref="FakeStripe"/>).</summary>
public sealed class StripeGatewayTests(StripeFixture fixture) : StripeTest(fixture)
{
    private const string Visa = "4242424242424242";

    [Fact]
    public async Task Saving_a_card_makes_one_Stripe_customer_and_keeps_only_its_ids_brand_last4_and_expiry()
    {
        var client = await AClientAsync();
        var setup = await SetUpCardAsync(client, Visa);
        await EnrolAsync(client, setup);
        // A second card form for the same client reuses the client's Customer.
        await SetUpCardAsync(client, Visa);

        var body = await MyAutopayAsync(client);
        var autopay = body.GetProperty("autopay");
        autopay.GetProperty("status").GetString().ShouldBe("Active");
        autopay.GetProperty("card").GetProperty("brand").GetString().ShouldBe("Visa");
        autopay.GetProperty("card").GetProperty("last4").GetString().ShouldBe("4242");
        autopay.GetProperty("card").GetProperty("expYear").GetInt32().ShouldBe(FutureExpiry().Year);
        autopay.GetProperty("consent").GetProperty("version").GetString().ShouldBe(Consent);

        Stripe.ObjectsOf("customer").Count().ShouldBe(1);
        var customer = Stripe.ObjectsOf("customer").Single();
        ((string?)customer["metadata"]!["portal_client_id"]).ShouldBe(client.ClientId.ToString());
        customer["email"].ShouldBeNull("no personal detail goes to Stripe");
        var setups = Stripe.Requests.Where(r => r is { Method: "POST", Path: "/v1/setup_intents" }).ToList();
        setups.Count.ShouldBe(2);
        setups.ShouldAllBe(r => r.Form["usage"] == "off_session" && r.Form["customer"] == (string)customer["id"]!);
        Stripe.Requests.ShouldContain(r => r.Method == "GET" && r.Path == $"/v1/setup_intents/{setup}");
    }

    [Fact]
    public async Task A_SetupIntent_confirmed_for_another_client_cannot_be_saved()
    {
        var owner = await AClientAsync();
        var setup = await SetUpCardAsync(owner, Visa);
        var other = await Host.NewClientWithAccountAsync(owner.Provider);
        await SetUpCardAsync(other, Visa);

        var (_, refused) = await EnrolAsync(other, setup, 400);
        var problem = await refused.ReadAsJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().ShouldBe("invalid_token");
        problem.GetProperty("errors").TryGetProperty("cardToken", out _).ShouldBeTrue();
        (await MyAutopayAsync(other)).GetProperty("autopay").GetProperty("status").GetString().ShouldBe("NotEnrolled");
    }

    [Fact]
    public async Task A_charge_is_one_off_session_PaymentIntent_under_the_charge_key_and_the_client_gets_a_receipt_without_the_description()
    {
        var client = await AClientAsync();
        await EnrolAsync(client, await SetUpCardAsync(client, Visa));

        var (tracked, first) = await PostBalanceAsync(client, 12500, "visit-7", 201);
        var charge = await first.ReadAsJsonAsync<JsonElement>();
        charge.GetProperty("status").GetString().ShouldBe("Succeeded");
        var receipt = tracked.Published<AutopayPaymentReceived>().ShouldHaveSingleItem();
        receipt.AmountCents.ShouldBe(12500);
        receipt.Last4.ShouldBe("4242");

        var (_, repeat) = await PostBalanceAsync(client, 12500, "visit-7", 200);
        repeat.Context.Response.Headers["Idempotent-Replayed"].ToString().ShouldBe("true");

        var intents = Stripe.Requests.Where(r => r is { Method: "POST", Path: "/v1/payment_intents" }).ToList();
        var intent = intents.ShouldHaveSingleItem();
        intent.IdempotencyKey.ShouldBe($"{client.ClientId:N}/visit-7#1");
        intent.Form["amount"].ShouldBe("12500");
        intent.Form["currency"].ShouldBe("usd");
        intent.Form["off_session"].ShouldBe("true");
        intent.Form["confirm"].ShouldBe("true");
        intent.Form.Keys.ShouldNotContain("description");
        Stripe.Requests.Where(r => r.Method == "POST").ShouldAllBe(r => r.IdempotencyKey != null);

        var mail = (await Mail.WaitForAsync()).Single(m => m.Subject?.Contains("receipt", StringComparison.OrdinalIgnoreCase) == true);
        mail.To.ToString().ShouldContain(client.Email);
        mail.TextBody!.ShouldContain("$125.00");
        mail.TextBody!.ShouldContain("Visa card ending in 4242");
        mail.TextBody!.ShouldNotContain("Session on");
        mail.HtmlBody!.ShouldNotContain("Session on");

        var payments = (await MyAutopayAsync(client)).GetProperty("payments");
        var payment = payments.EnumerateArray().ShouldHaveSingleItem();
        payment.GetProperty("status").GetString().ShouldBe("Paid");
        payment.GetProperty("amountCents").GetInt64().ShouldBe(12500);
        payment.GetProperty("cardBrand").GetString().ShouldBe("Visa");
        payment.GetProperty("last4").GetString().ShouldBe("4242");
    }

    [Fact]
    public async Task Authentication_required_is_a_decline_retried_daily_and_the_third_suspends_autopay_and_emails_the_client()
    {
        var client = await AClientAsync();
        await EnrolAsync(client, await SetUpCardAsync(client, "4000002760003184"));

        var (day1, first) = await PostBalanceAsync(client, 9000, "visit-9", 201);
        var charge = await first.ReadAsJsonAsync<JsonElement>();
        charge.GetProperty("status").GetString().ShouldBe("Failed");
        charge.GetProperty("failureMessage").GetString()!.ShouldContain("Your bank asked to confirm this payment");
        day1.Published<AutopayPaymentReceived>().ShouldBeEmpty();

        Clock.Advance(TimeSpan.FromDays(1));
        var day2 = await day1.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        Clock.Advance(TimeSpan.FromDays(1));
        var day3 = await day2.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));

        var suspended = day3.Published<AutopayChanged>().ShouldHaveSingleItem();
        suspended.Change.ShouldBe(AutopayChange.Suspended);
        suspended.Reason!.ShouldContain("declined 3 times in a row");
        var keys = Stripe.Requests.Where(r => r is { Method: "POST", Path: "/v1/payment_intents" }).Select(r => r.IdempotencyKey).ToList();
        keys.ShouldBe([$"{client.ClientId:N}/visit-9#1", $"{client.ClientId:N}/visit-9#2", $"{client.ClientId:N}/visit-9#3"]);

        var mails = await Mail.WaitForAsync(1);
        mails.ShouldContain(m => m.Subject != null && m.Subject.Contains("paused", StringComparison.OrdinalIgnoreCase) && m.To.ToString().Contains(client.Email));
    }

    [Fact]
    public async Task Stripe_unreachable_is_a_failed_attempt_to_retry_not_a_server_error()
    {
        var client = await AClientAsync();
        await EnrolAsync(client, await SetUpCardAsync(client, Visa));
        Stripe.Unavailable = true;

        var (_, result) = await PostBalanceAsync(client, 5000, "visit-down", 201);
        var charge = await result.ReadAsJsonAsync<JsonElement>();
        charge.GetProperty("status").GetString().ShouldBe("Failed");
        charge.GetProperty("nextAttemptAt").ValueKind.ShouldBe(JsonValueKind.String);
        Logs.Lines.ShouldNotContain(line => line.Contains(FakeStripe.SecretKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_billing_roles_refund_with_a_reason_once_per_key_within_what_was_paid_and_it_is_audited()
    {
        var client = await AClientAsync();
        await EnrolAsync(client, await SetUpCardAsync(client, Visa));
        await PostBalanceAsync(client, 12000, "visit-1", 201);
        var biller = await Host.NewMemberAsync(client.Provider, StaffRole.Biller);
        var frontDesk = await Host.NewMemberAsync(client.Provider, StaffRole.FrontDesk);
        var stranger = await Host.NewProviderAsync();

        var (_, byBiller) = await RefundAsync(client, "visit-1", 5000, "refund-1", biller);
        byBiller.Context.Response.StatusCode.ShouldBe(201);
        var refunded = await byBiller.ReadAsJsonAsync<JsonElement>();
        refunded.GetProperty("refundedCents").GetInt64().ShouldBe(5000);
        refunded.GetProperty("refunds")[0].GetProperty("reason").GetString().ShouldBe("Session cancelled by the practice");

        var (_, replay) = await RefundAsync(client, "visit-1", 5000, "refund-1", biller);
        replay.Context.Response.StatusCode.ShouldBe(200);
        replay.Context.Response.Headers["Idempotent-Replayed"].ToString().ShouldBe("true");

        var (_, tooMuch) = await RefundAsync(client, "visit-1", 7001, "refund-2", client.Provider);
        // More than is left conflicts with the refunds already made: 409, naming the amount still refundable.
        tooMuch.Context.Response.StatusCode.ShouldBe(409);
        (await tooMuch.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("amountCents")[0].GetString()
            .ShouldBe("At most $70.00 of this charge is left to refund.");
        var (_, noReason) = await RefundAsync(client, "visit-1", 100, "refund-3", client.Provider, reason: "");
        noReason.Context.Response.StatusCode.ShouldBe(400);
        (await noReason.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _).ShouldBeTrue();

        var (_, byFrontDesk) = await RefundAsync(client, "visit-1", 100, "refund-4", frontDesk);
        byFrontDesk.Context.Response.StatusCode.ShouldBe(403);
        var (_, byStranger) = await RefundAsync(client, "visit-1", 100, "refund-5", stranger);
        byStranger.Context.Response.StatusCode.ShouldBe(404);
        var (_, byClient) = await RefundAsync(client, "visit-1", 100, "refund-6", client);
        byClient.Context.Response.StatusCode.ShouldBe(403);

        var (_, rest) = await RefundAsync(client, "visit-1", 7000, "refund-7", client.Provider);
        rest.Context.Response.StatusCode.ShouldBe(201);

        var refunds = Stripe.Requests.Where(r => r is { Method: "POST", Path: "/v1/refunds" }).ToList();
        refunds.Select(r => r.Form["amount"]).ShouldBe(["5000", "7000"]);
        refunds.ShouldAllBe(r => r.IdempotencyKey != null && !r.Form.Values.Any(v => v.Contains("cancelled")));
        (await MyAutopayAsync(client)).GetProperty("payments")[0].GetProperty("status").GetString().ShouldBe("Refunded");

        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var audit = await session.Query<Portal.BuildingBlocks.Auditing.AuditEntry>()
            .Where(a => a.ClientId == client.ClientId && a.Action == "autopay.refund").ToListAsync();
        audit.Count(a => a.Outcome == "refunded").ShouldBe(2);
        audit.ShouldContain(a => a.Outcome == "replayed");
        audit.ShouldContain(a => a.Outcome == "denied");
    }
}

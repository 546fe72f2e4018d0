using System.Text.Json;
using Alba;

namespace Portal.Tests.Autopay.Stripe;

/// <summary>
/// FSA and HSA cards in Stripe mode. Stripe's <c>funding</c> says only credit, debit or prepaid; the issuer number
/// (<c>iin</c>), sent to accounts Stripe enables it for, is checked against the practice's BIN lists
/// (Payments:Stripe:FsaBins and HsaBins; the fixture sets the sandbox's test BINs).
/// </summary>
public sealed class StripeHealthSpendingCardTests(StripeFixture fixture) : StripeTest(fixture)
{
    [Theory]
    [InlineData("4099990000000006")]
    [InlineData("5599990000000008")]
    public async Task An_FSA_or_HSA_card_that_Stripe_names_by_its_issuer_number_is_refused_and_removed_from_Stripe(string number)
    {
        var client = await AClientAsync();
        var setup = await SetUpCardAsync(client, number);

        var (_, refused) = await EnrolAsync(client, setup, status: 400);

        var problem = await refused.ReadAsJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().ShouldBe("health_savings_card");
        problem.GetProperty("errors").GetProperty("cardToken")[0].GetString()!.ShouldStartWith("FSA and HSA cards can't be used for autopay.");
        var paymentMethod = (string)Stripe.Object(setup)["payment_method"]!;
        Stripe.Requests.ShouldContain(r => r.Method == "POST" && r.Path == $"/v1/payment_methods/{paymentMethod}/detach");
        (await MyAutopayAsync(client)).GetProperty("autopay").GetProperty("status").GetString().ShouldBe("NotEnrolled");
    }

    [Fact]
    public async Task Without_the_issuer_number_Stripe_cannot_tell_an_FSA_card_from_a_prepaid_card_and_it_is_saved()
    {
        var client = await AClientAsync();

        await EnrolAsync(client, await SetUpCardAsync(client, "4099990000000014"));

        (await MyAutopayAsync(client)).GetProperty("autopay").GetProperty("status").GetString().ShouldBe("Active");
    }

    [Fact]
    public async Task The_card_form_tells_the_client_before_they_type_that_FSA_and_HSA_cards_cannot_be_used()
    {
        var client = await AClientAsync();
        var page = await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/portal/autopay");
        });
        // As the client reads it: the page encodes the apostrophe.
        System.Net.WebUtility.HtmlDecode(await page.ReadAsTextAsync()).ShouldContain("FSA and HSA cards can't be used for autopay.");
    }
}

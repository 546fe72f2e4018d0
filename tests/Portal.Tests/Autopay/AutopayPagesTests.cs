using Alba;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Autopay;

public sealed class AutopayPagesTests(PortalFixture fixture) : AutopayTest(fixture)
{
    [Fact]
    public async Task The_autopay_page_offers_enrolment_with_the_authorization_and_a_card_form_that_never_posts_the_number_here()
    {
        var client = await AClientAsync();
        var result = await Host.Scenario(s =>
        {
            AsClient(s, client);
            s.Get.Url("/portal/autopay");
            s.StatusCodeShouldBeOk();
        });
        var html = await result.ReadAsTextAsync();

        html.ShouldContain("<h1>Autopay</h1>");
        html.ShouldContain("Enroll in autopay");
        html.ShouldContain("I authorize my provider&#x27;s practice to charge the card");
        html.ShouldContain("data-tokenize-url=\"/sandbox-gateway/tokens\"");
        html.ShouldContain("/_content/Portal.Autopay/autopay.js");
        html.ShouldNotContain("<script>");
        // The card number and security code inputs have no name: a form post can never carry them.
        html.ShouldMatch("<input id=\"card-number\"(?![^>]*\\bname=)[^>]*>");
        html.ShouldMatch("<input id=\"card-cvc\"(?![^>]*\\bname=)[^>]*>");
        html.ShouldContain("<label for=\"card-number\">Card number</label>");

        var script = await Host.Scenario(s =>
        {
            s.Get.Url("/_content/Portal.Autopay/autopay.js");
            s.StatusCodeShouldBeOk();
        });
        (await script.ReadAsTextAsync()).ShouldContain("data-tokenize-url");
    }

    [Fact]
    public async Task An_enrolled_client_sees_the_card_on_file_and_the_provider_sees_Last_Updated_and_the_history_on_the_client_profile()
    {
        var client = await AClientAsync();
        await EnrolWithCardAsync(client, "4242424242424242");

        var page = await Host.Scenario(s =>
        {
            AsClient(s, client);
            s.Get.Url("/portal/autopay");
            s.StatusCodeShouldBeOk();
        });
        var html = await page.ReadAsTextAsync();
        html.ShouldContain("Autopay is on");
        html.ShouldContain("Visa ending 4242");
        html.ShouldContain("Cancel autopay");

        var profile = await Host.Scenario(s =>
        {
            AsProvider(s, client);
            s.Get.Url($"/console/clients/{client.ClientId}");
            s.StatusCodeShouldBeOk();
        });
        var console = await profile.ReadAsTextAsync();
        console.ShouldContain("Last Updated:");
        console.ShouldContain(System.Net.WebUtility.HtmlEncode(Portal.BuildingBlocks.Time.PortalTime.DateTime(Clock.GetUtcNow(), Portal.BuildingBlocks.Time.PortalTime.DefaultZone)));
        console.ShouldContain("Enrolled in autopay with Visa ending 4242");
    }
}

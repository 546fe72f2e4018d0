using Portal.Notifications.Delivery;
using Portal.Notifications.Templates;

namespace Portal.Tests.Notifications;

public sealed class TemplateTests
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["practiceName"] = "Lakeside & Co Counseling",
        ["firstName"] = "Jane",
        ["providerName"] = "Dr. Ana Silva",
        ["clientName"] = "Jane D.",
        ["clientFirstName"] = "Sam",
        ["action"] = "added insurance details",
        ["consoleLink"] = "http://localhost:5000/console/clients/1",
        ["portalLink"] = "http://localhost:5000/portal",
        ["inboxLink"] = "http://localhost:5000/console/notifications",
        ["expiresAt"] = "May 5, 2030, 6:00 AM EDT",
        ["lockedUntil"] = "May 5, 2030, 6:00 AM EDT",
        ["changedAt"] = "May 5, 2030, 6:00 AM EDT",
        ["raisedAt"] = "May 5, 2030, 6:00 AM EDT",
        ["nextStep"] = "When you next sign in, you will be asked to set up an authenticator app or a passkey again.",
        ["newEmailMasked"] = "j***@example.com",
        ["hasAccount"] = "yes",
        ["taskWords"] = "add your insurance details",
        ["dueText"] = "May 9, 2030",
        ["taskCount"] = "3 tasks",
        ["taskSummary"] = "add your insurance details, answer a questionnaire and sign a document",
        ["cardBrand"] = "Visa",
        ["last4"] = "4242",
        ["expiresOn"] = "June 1, 2030",
        ["count"] = "2",
        ["planRank"] = "primary",
        ["providerMessage"] = "The member ID on the card ends in 01.",
        ["insuranceLink"] = "http://localhost:5000/portal/insurance",
        ["supportName"] = "Sam Support",
        ["reason"] = "Client called: cannot see her intake form",
        ["until"] = "May 5, 2030, 6:30 AM EDT",
        ["subjectLine"] = "you are now the primary clinician",
        ["sentence"] = "Jane D. was transferred to you from Dr. Ana Silva. You are now their primary clinician.",
        ["linkText"] = "Open Jane D.'s profile",
        ["roleName"] = "front desk staff",
        ["webhookUrl"] = "https://ehr.example.com/hooks/portal",
        ["failingSince"] = "May 4, 2030, 6:00 AM EDT",
        ["amount"] = "$120.00",
        ["paidOn"] = "May 5, 2030",
        ["refundedOn"] = "May 6, 2030",
        ["receiptNumber"] = "R-2030-0001",
        ["integrationsLink"] = "http://localhost:5000/console/integrations",
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in EmailTemplates.Names) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Every_template_renders_as_HTML_and_as_plain_text_with_the_practice_name(string name)
    {
        var email = await EmailTemplates.RenderAsync(name, Values,
            [new DigestLine("Jane D. completed an assessment", "http://localhost:5000/console/clients/1", false),
             new DigestLine("Sam K. needs your attention today", "http://localhost:5000/console/clients/2", true)],
            "http://localhost:5000/activate?code=secret");

        email.Subject.ShouldNotBeNullOrWhiteSpace();
        email.Subject.ShouldNotContain("{");
        email.Html.ShouldStartWith("<!DOCTYPE html>");
        email.Html.ShouldContain("Lakeside &amp; Co Counseling");
        email.Html.ShouldNotContain("{{");
        email.Html.ShouldNotContain("{%");
        email.Text.ShouldContain("Lakeside & Co Counseling");
        email.Text.ShouldNotContain("{{");
        email.Text.ShouldNotContain("<p>");
        email.Text.ShouldNotContain("&amp;");
    }

    [Fact]
    public async Task A_template_given_too_few_values_fails_instead_of_sending_a_hole()
    {
        await Should.ThrowAsync<Exception>(() => EmailTemplates.RenderAsync("invitation",
            new Dictionary<string, string> { ["practiceName"] = "Lakeside" }, null, "http://x"));
    }

    [Fact]
    public async Task Names_are_HTML_encoded_in_the_HTML_body()
    {
        var values = new Dictionary<string, string>(Values) { ["providerName"] = "<script>alert(1)</script>" };

        var email = await EmailTemplates.RenderAsync("provider-activity", values, null, null);

        email.Html.ShouldNotContain("<script>");
        email.Html.ShouldContain("&lt;script&gt;");
    }
}

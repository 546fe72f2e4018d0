using System.Text.RegularExpressions;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Forms;

/// <summary>The module's pages render through the real host for the signed-in client and provider, without inline script.</summary>
public sealed partial class FormsPageTests(PortalFixture fixture) : FormsTest(fixture)
{
    private sealed record SavedDocument(Guid DocumentId, int Revision);
    private sealed record SavedForm(Guid FormId, int Revision);

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    private async Task<string> Page(ISignedIn actor, string url)
    {
        var html = await (await Send(actor, HttpMethod.Get, url, null, 200)).ReadAsTextAsync();
        InlineScript().IsMatch(html).ShouldBeFalse($"{url} has an inline script");
        return html;
    }

    [Fact]
    public async Task The_client_reads_the_document_to_sign_fills_a_form_whose_conditions_act_in_the_page_and_sees_the_PHQ9()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var document = await Json<SavedDocument>(provider, HttpMethod.Post, "/api/documents",
            new { title = "Consent to treatment", markdown = "I consent to **treatment**." }, 201);
        await Send(provider, HttpMethod.Post, $"/api/documents/{document.DocumentId}/publish",
            new { revision = 1, requireExistingSignersToSignAgain = false }, 200);
        var form = await Json<SavedForm>(provider, HttpMethod.Post, "/api/forms", new
        {
            title = "Intake",
            schema = new
            {
                sections = new object[]
                {
                    new { key = "one", title = "First",
                        fields = new object[] { new { key = "has_insurance", label = "Insured?", type = "YesNo", required = true } } },
                    new { key = "two", title = "Second", showWhen = new { field = "has_insurance", value = "yes" },
                        fields = new object[] { new { key = "payer", label = "Insurance company", type = "ShortText" } } },
                },
            },
        }, 201);
        await Send(provider, HttpMethod.Post, $"/api/forms/{form.FormId}/publish", new { revision = 1 }, 200);

        var list = await Page(client, "/portal/documents");
        list.ShouldContain("Consent to treatment");
        list.ShouldContain("Please sign");
        var sign = await Page(client, $"/portal/documents/{document.DocumentId}");
        sign.ShouldContain("<strong>treatment</strong>");
        sign.ShouldContain("right to receive a paper copy");
        sign.ShouldContain("name=\"FullName\"");

        var fill = await Page(client, $"/portal/forms/{form.FormId}");
        fill.ShouldContain("data-show-field=\"has_insurance\"");
        fill.ShouldContain("data-show-value=\"yes\"");
        fill.ShouldContain("name=\"a.payer\"");
        fill.ShouldContain("/_content/Portal.Forms/forms.js");
        fill.ShouldContain($"data-draft-url=\"/api/portal/forms/{form.FormId}/draft\"");

        var phq9 = await Page(client, "/portal/assessments/phq9");
        phq9.ShouldContain("Thoughts that you would be better off dead or of hurting yourself in some way");
        phq9.ShouldContain("More than half the days");

        (await Page(provider, $"/console/documents/{document.DocumentId}")).ShouldContain("Version");
        (await Page(provider, $"/console/forms/{form.FormId}")).ShouldContain("has_insurance");
        await Send(await Host.NewProviderAsync(), HttpMethod.Get, $"/console/forms/{form.FormId}", null, 404);
    }
}

using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Alba;
using Wolverine.Tracking;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Insurance;

public sealed partial class InsurancePageTests(PortalFixture fixture) : InsuranceTest(fixture)
{
    [Fact]
    public async Task A_client_adds_a_plan_as_a_dependent_with_card_photos_through_the_insurance_page()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var page = await GetPageAsync(client);
        page.Html.ShouldContain("<h1>Your insurance</h1>");
        page.Html.ShouldContain("Someone else is: I am covered as their dependent (spouse, child or partner)");
        page.Html.ShouldContain("Claims are most often denied because a dependent entered their own details here.");
        page.Html.ShouldContain("<label for=\"primary-member-id\">Member ID</label>");
        page.Html.ShouldContain("/_content/Portal.Insurance/insurance.js");
        page.Html.ShouldNotContain("<script>");

        var (tracked, result) = await TrackedScenario(s => PostForm(s, client, page, "Save", DependentPlan("secondary", 0),
            ("front", "front.png", CardPictures.Png), ("back", "back.jpg", CardPictures.Jpeg)));

        result.Context.Response.StatusCode.ShouldBe(302);
        result.Context.Response.Headers.Location.ToString().ShouldBe("/portal/insurance?done=saved-secondary");
        var message = tracked.Published().ShouldHaveSingleItem();
        message.Change.ShouldBe(InsuranceChange.Added);
        message.Rank.ShouldBe(PlanRank.Secondary);
        message.Actor.Kind.ShouldBe(ActorKind.Client);
        var plan = (await Host.MineAsync(client)).Secondary.ShouldNotBeNull();
        plan.PayerName.ShouldBe("Cigna Healthcare");
        plan.Subscriber.ShouldBe(new SubscriberBody(false, "Morgan Client", new DateOnly(1965, 9, 30), "spouse"));
        plan.FrontPhotoUrl.ShouldNotBeNull();
        plan.BackPhotoUrl.ShouldNotBeNull();

        var after = await GetPageAsync(client, "/portal/insurance?done=saved-secondary");
        after.Html.ShouldContain("Your secondary insurance was saved.");
        after.Html.ShouldContain("Morgan Client, born Sep 30, 1965; you are their spouse (dependent)");
        after.Html.ShouldContain($"src=\"{plan.FrontPhotoUrl}\"");
        after.Html.ShouldContain("Your provider has not checked this plan yet.");
    }

    [Fact]
    public async Task A_form_with_missing_and_wrong_fields_is_shown_again_with_each_error_next_to_its_field_and_nothing_is_stored()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var page = await GetPageAsync(client);
        var fields = DependentPlan("primary", 0);
        fields["Form.SubscriberDateOfBirth"] = "";
        fields["Form.MemberId"] = "";

        var (tracked, result) = await TrackedScenario(s =>
            PostForm(s, client, page, "Save", fields, ("front", "card.png", "not a picture"u8.ToArray())));

        result.Context.Response.StatusCode.ShouldBe(400);
        var html = await result.ReadAsTextAsync();
        html.ShouldContain("Please correct the highlighted fields.");
        html.ShouldMatch("<span id=\"primary-subscriber-dob-error\" class=\"field-error\">" +
                         "Enter the plan holder&#x27;s date of birth \\(not yours\\).</span>");
        html.ShouldMatch("<span id=\"primary-member-id-error\" class=\"field-error\">[^<]+</span>");
        html.ShouldMatch("<span id=\"primary-front-error\" class=\"field-error\">The file is not a JPEG or PNG photo[^<]*</span>");
        html.ShouldMatch("<input id=\"primary-subscriber-dob\"[^>]*aria-invalid=\"true\"");
        // What the client typed is kept.
        html.ShouldContain("value=\"Morgan Client\"");
        tracked.Published().ShouldBeEmpty();
        (await Host.MineAsync(client)).Version.ShouldBe(0);
    }

    [Fact]
    public async Task A_save_from_a_page_opened_before_someone_else_saved_is_refused_and_shows_both_the_current_details_and_what_was_typed()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var page = await GetPageAsync(client);
        await TrackedScenario(s =>
        {
            s.As(provider);
            s.Put.Json(InsuranceApi.Plan(0, memberId: "PROVIDER0001")).ToUrl($"/api/console/clients/{client.ClientId}/insurance/plans/primary");
            s.StatusCodeShouldBeOk();
        });

        var fields = DependentPlan("primary", 0);
        fields["Form.MemberId"] = "CLIENT0002";
        var (tracked, result) = await TrackedScenario(s => PostForm(s, client, page, "Save", fields));

        result.Context.Response.StatusCode.ShouldBe(409);
        var html = await result.ReadAsTextAsync();
        html.ShouldContain("Someone else changed your insurance after you opened this page, so your change was not saved.");
        html.ShouldContain("<dd>PROVIDER0001</dd>");
        html.ShouldContain("value=\"CLIENT0002\"");
        html.ShouldContain("name=\"Form.ExpectedVersion\" value=\"1\"");
        tracked.Published().ShouldBeEmpty();
        (await Host.MineAsync(client)).Primary!.MemberId.ShouldBe("PROVIDER0001");
    }

    [Fact]
    public async Task A_client_removes_a_plan_through_the_page_and_the_provider_is_told_once()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await ClientAddsPrimaryPlanAsync(client);
        var page = await GetPageAsync(client);
        page.Html.ShouldContain("Remove primary insurance");

        var (tracked, result) = await TrackedScenario(s =>
            PostForm(s, client, page, "Remove", new Dictionary<string, string> { ["rank"] = "primary", ["expectedVersion"] = "1" }));

        result.Context.Response.StatusCode.ShouldBe(302);
        tracked.Published().ShouldHaveSingleItem().Change.ShouldBe(InsuranceChange.Removed);
        (await Host.MineAsync(client)).Primary.ShouldBeNull();
    }

    [Fact]
    public async Task A_removal_from_a_page_opened_before_someone_else_saved_removes_nothing_and_says_why()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await ClientAddsPrimaryPlanAsync(client);
        var page = await GetPageAsync(client);
        await TrackedScenario(s =>
        {
            s.As(provider);
            s.Put.Json(InsuranceApi.Plan(1, memberId: "PROVIDER0001")).ToUrl($"/api/console/clients/{client.ClientId}/insurance/plans/primary");
            s.StatusCodeShouldBeOk();
        });

        var (tracked, result) = await TrackedScenario(s =>
            PostForm(s, client, page, "Remove", new Dictionary<string, string> { ["rank"] = "primary", ["expectedVersion"] = "1" }));

        result.Context.Response.StatusCode.ShouldBe(409);
        var html = await result.ReadAsTextAsync();
        html.ShouldContain("Someone else changed your insurance after you opened this page, so nothing was removed.");
        html.ShouldContain("<dd>PROVIDER0001</dd>");
        tracked.Published().ShouldBeEmpty();
        (await Host.MineAsync(client)).Primary!.MemberId.ShouldBe("PROVIDER0001");
    }

    [Fact]
    public async Task A_client_without_an_active_account_sees_why_and_is_offered_no_form()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var page = await GetPageAsync(client);
        await Host.ExecuteAndWaitAsync(async context =>
            await context.PublishAsync(new ClientAccountStatusChanged(client.ClientId, false, Clock.GetUtcNow())));

        var refused = await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/portal/insurance");
            s.StatusCodeShouldBe(403);
        });
        var html = await refused.ReadAsTextAsync();
        html.ShouldContain("Your portal account is not active.");
        html.ShouldContain("Your provider can update your insurance for you");
        html.ShouldNotContain("Save primary insurance");

        var (tracked, post) = await TrackedScenario(s => PostForm(s, client, page, "Save", DependentPlan("primary", 0)));
        post.Context.Response.StatusCode.ShouldBe(403);
        (await post.ReadAsTextAsync()).ShouldContain("Your portal account is not active.");
        tracked.Published().ShouldBeEmpty();
    }

    internal static Dictionary<string, string> DependentPlan(string rank, long expectedVersion) => new()
    {
        ["Form.Rank"] = rank,
        ["Form.ExpectedVersion"] = expectedVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Form.PayerId"] = "cigna",
        ["Form.PlanName"] = "Open Access Plus",
        ["Form.MemberId"] = "U1234567801",
        ["Form.GroupNumber"] = "3337777",
        ["Form.Holder"] = "other",
        ["Form.SubscriberName"] = "Morgan Client",
        ["Form.SubscriberDateOfBirth"] = "1965-09-30",
        ["Form.Relationship"] = "spouse",
    };

    internal sealed record PageGet(string Html, string Token, string AntiforgeryCookie);

    private async Task<PageGet> GetPageAsync(ISignedIn who, string url = "/portal/insurance")
    {
        var result = await Host.Scenario(s =>
        {
            s.As(who);
            s.Get.Url(url);
            s.StatusCodeShouldBeOk();
        });
        return await PageGetFrom(result);
    }

    internal static async Task<PageGet> PageGetFrom(IScenarioResult result)
    {
        var html = await result.ReadAsTextAsync();
        var token = Token().Match(html).Groups[1].Value;
        token.ShouldNotBeEmpty();
        var cookie = result.Context.Response.Headers.SetCookie
            .Select(c => c!.Split(';')[0])
            .First(c => c.StartsWith("portal.antiforgery=", StringComparison.Ordinal));
        return new PageGet(html, token, cookie);
    }

    /// <summary>
    /// Posts a form to a page handler as a browser does: multipart, with the antiforgery token and cookie of the page it came from.
    /// </summary>
    internal static void PostForm(Scenario s, ISignedIn who, PageGet page, string handler, Dictionary<string, string> fields,
        params (string Name, string FileName, byte[] Content)[] files) =>
        PostForm(s, who, page, "/portal/insurance", handler, fields, files);

    internal static void PostForm(Scenario s, ISignedIn who, PageGet page, string url, string handler, Dictionary<string, string> fields,
        params (string Name, string FileName, byte[] Content)[] files)
    {
        var form = new MultipartFormDataContent { { new StringContent(page.Token), "__RequestVerificationToken" } };
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        foreach (var (name, fileName, content) in files)
        {
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".jpg", StringComparison.Ordinal) ? "image/jpeg" : "image/png");
            form.Add(file, name, fileName);
        }
        s.WithRequestHeader("Cookie", $"{who.Cookie}; {page.AntiforgeryCookie}");
        s.Post.MultipartFormData(form).ToUrl(url).QueryString("handler", handler);
        s.IgnoreStatusCode();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}

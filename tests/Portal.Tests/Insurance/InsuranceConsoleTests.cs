using Alba;
using Portal.Contracts;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Insurance.InsurancePageTests;

namespace Portal.Tests.Insurance;

public sealed class InsuranceConsoleTests(PortalFixture fixture) : InsuranceTest(fixture)
{
    [Fact]
    public async Task The_providers_client_profile_shows_insurance_Last_Updated_by_the_client_the_photos_the_history_and_the_review_actions()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Avery", "Stone");
        await ClientAddsPrimaryWithPhotoAsync(client);
        var photoUrl = (await Host.MineAsync(client)).Primary!.FrontPhotoUrl!;

        var profile = await GetAsync(provider, $"/console/clients/{client.ClientId}");

        profile.Html.ShouldContain("<h2 id=\"insurance-section-heading\">Insurance</h2>");
        profile.Html.ShouldContain("Last Updated:");
        profile.Html.ShouldContain("by the client (Avery Stone)");
        profile.Html.ShouldContain($"src=\"{photoUrl}\"");
        profile.Html.ShouldContain("Mark primary plan verified");
        profile.Html.ShouldContain("Send the primary plan back to the client: what should they fix?");
        profile.Html.ShouldContain("Uploaded the front of the primary card");
        profile.Html.ShouldContain("Added the primary plan (Aetna, Open Access Choice POS II)");

        var other = await Host.NewProviderAsync(support: provider.Support);
        var foreign = await Host.Scenario(s =>
        {
            s.As(other);
            s.Get.Url($"/console/clients/{client.ClientId}");
            s.StatusCodeShouldBe(404);
        });
        var foreignHtml = await foreign.ReadAsTextAsync();
        foreignHtml.ShouldNotContain(photoUrl);
        foreignHtml.ShouldNotContain("insurance-section-heading");
    }

    [Fact]
    public async Task Sending_a_plan_back_emails_the_client_the_message_with_a_link_to_their_insurance_page_where_they_read_it()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await ClientAddsPrimaryWithPhotoAsync(client);
        Mail.Clear();
        var profile = await GetAsync(provider, $"/console/clients/{client.ClientId}");

        var (tracked, result) = await TrackedScenario(s => PostForm(s, provider, profile, $"/console/clients/{client.ClientId}/insurance", "Return",
            new Dictionary<string, string>
            {
                ["rank"] = "primary", ["expectedVersion"] = "2", ["message"] = "The member ID on the card ends in 01."
            }));

        result.Context.Response.StatusCode.ShouldBe(302);
        result.Context.Response.Headers.Location.ToString().ShouldBe($"/console/clients/{client.ClientId}#insurance");
        tracked.Published().ShouldBeEmpty();
        var email = (await Mail.WaitForAsync()).ShouldHaveSingleItem();
        email.To.Mailboxes.ShouldHaveSingleItem().Address.ShouldBe(client.Email);
        email.Subject.ShouldNotBeNull().ShouldContain("asks you to check your insurance details");
        var text = email.TextBody.ShouldNotBeNull();
        text.ShouldContain("The member ID on the card ends in 01.");
        // The link names the practice, so a signed-out client meets its look on the sign-in page.
        MailCapture.LinkIn(email).ShouldBe($"http://localhost:5000/portal/insurance?practice={provider.PracticeId}");
        text.ShouldNotContain("XJH123456789");

        var page = await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/portal/insurance");
            s.StatusCodeShouldBeOk();
        });
        var html = await page.ReadAsTextAsync();
        html.ShouldContain("Your provider sent this plan back and asks you to check it:");
        html.ShouldContain("The member ID on the card ends in 01.");
        html.ShouldContain("Sent back for changes");
    }

    [Fact]
    public async Task Marking_a_plan_verified_from_the_profile_shows_it_verified_to_the_client_and_emails_nobody()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await ClientAddsPrimaryWithPhotoAsync(client);
        Mail.Clear();
        var profile = await GetAsync(provider, $"/console/clients/{client.ClientId}");

        var (_, result) = await TrackedScenario(s => PostForm(s, provider, profile, $"/console/clients/{client.ClientId}/insurance", "Verify",
            new Dictionary<string, string> { ["rank"] = "primary", ["expectedVersion"] = "2" }));

        result.Context.Response.StatusCode.ShouldBe(302);
        (await Host.MineAsync(client)).Primary!.Status.ShouldBe("verified");
        (await GetAsync(provider, $"/console/clients/{client.ClientId}")).Html.ShouldNotContain("Mark primary plan verified");
        Mail.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task Sending_back_without_a_message_shows_the_error_next_to_the_message_box_and_changes_nothing()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await ClientAddsPrimaryWithPhotoAsync(client);
        Mail.Clear();
        var profile = await GetAsync(provider, $"/console/clients/{client.ClientId}");

        var (_, result) = await TrackedScenario(s => PostForm(s, provider, profile, $"/console/clients/{client.ClientId}/insurance", "Return",
            new Dictionary<string, string> { ["rank"] = "primary", ["expectedVersion"] = "2", ["message"] = "  " }));

        result.Context.Response.StatusCode.ShouldBe(400);
        (await result.ReadAsTextAsync()).ShouldMatch(
            "<span id=\"return-primary-message-error\" class=\"field-error\">Tell the client what to fix \\(up to 1000 characters\\).</span>");
        (await Host.MineAsync(client)).Primary!.Status.ShouldBe("awaiting-review");
        Mail.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_review_from_a_profile_opened_before_the_client_changed_the_plan_is_refused_and_shows_the_current_details()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await ClientAddsPrimaryWithPhotoAsync(client);
        var profile = await GetAsync(provider, $"/console/clients/{client.ClientId}");
        await TrackedScenario(s =>
        {
            s.As(client);
            s.Put.Json(InsuranceApi.Plan(2, memberId: "CHANGED0003")).ToUrl("/api/insurance/plans/primary");
            s.StatusCodeShouldBeOk();
        });
        Mail.Clear();

        var (tracked, result) = await TrackedScenario(s => PostForm(s, provider, profile, $"/console/clients/{client.ClientId}/insurance", "Return",
            new Dictionary<string, string> { ["rank"] = "primary", ["expectedVersion"] = "2", ["message"] = "Please check the member ID." }));

        result.Context.Response.StatusCode.ShouldBe(409);
        var html = await result.ReadAsTextAsync();
        html.ShouldContain("This insurance was changed after you opened it (by the client or someone else), so your action was not carried out.");
        html.ShouldContain("<dd>CHANGED0003</dd>");
        html.ShouldContain("name=\"expectedVersion\" value=\"3\"");
        tracked.Published().ShouldBeEmpty();
        var insurance = await Host.MineAsync(client);
        insurance.Primary!.Status.ShouldBe("awaiting-review");
        insurance.Primary.ReviewMessage.ShouldBeNull();
        Mail.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task Another_providers_client_is_404_on_the_insurance_page_and_its_review_and_save_forms()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await ClientAddsPrimaryWithPhotoAsync(client);
        var other = await Host.NewProviderAsync(support: provider.Support);
        await Host.Scenario(s =>
        {
            s.As(other);
            s.Get.Url($"/console/clients/{client.ClientId}/insurance");
            s.StatusCodeShouldBe(404);
        });
        // The other provider's own page and token (from their own client), posted at this client's insurance.
        var ownClient = await Host.AddClientAsync(other);
        var ownProfile = await GetAsync(other, $"/console/clients/{ownClient.ClientId}/insurance");

        foreach (var (handler, fields) in new[]
                 {
                     ("Verify", new Dictionary<string, string> { ["rank"] = "primary", ["expectedVersion"] = "2" }),
                     ("Return", new Dictionary<string, string> { ["rank"] = "primary", ["expectedVersion"] = "2", ["message"] = "Fix it" }),
                     ("Save", InsurancePageTests.DependentPlan("primary", 2)),
                 })
        {
            var (tracked, result) = await TrackedScenario(s =>
                PostForm(s, other, ownProfile, $"/console/clients/{client.ClientId}/insurance", handler, fields));
            result.Context.Response.StatusCode.ShouldBe(404, handler);
            tracked.Published().ShouldBeEmpty();
        }
        var insurance = await Host.MineAsync(client);
        insurance.Version.ShouldBe(2);
        insurance.Primary!.Status.ShouldBe("awaiting-review");
    }

    [Fact]
    public async Task A_providers_manual_entry_through_the_console_page_is_recorded_as_theirs_needs_no_review_and_emails_nobody()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);
        Mail.Clear();
        var page = await GetAsync(provider, $"/console/clients/{client.ClientId}/insurance");
        page.Html.ShouldContain("The client is the plan holder");

        var (tracked, result) = await TrackedScenario(s => PostForm(s, provider, page, $"/console/clients/{client.ClientId}/insurance", "Save",
            InsurancePageTests.DependentPlan("primary", 0), ("back", "back.png", CardPictures.Png)));

        result.Context.Response.StatusCode.ShouldBe(302);
        var message = tracked.Published().ShouldHaveSingleItem();
        message.Actor.Kind.ShouldBe(ActorKind.Provider);
        var insurance = await Host.OfClientAsync(provider, client.ClientId);
        insurance.LastUpdated!.By.ShouldBe(new ActorBody("provider", provider.Name));
        insurance.Primary!.Status.ShouldBe("verified");
        insurance.Primary.BackPhotoUrl.ShouldNotBeNull();
        (await GetAsync(provider, $"/console/clients/{client.ClientId}")).Html.ShouldContain($"by provider {provider.Name}");
        Mail.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task Insurance_added_updated_and_removed_by_the_client_each_email_their_provider_once()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Robin", "Vale");
        Mail.Clear();

        await ClientAddsPrimaryPlanAsync(client);
        await TrackedScenario(s =>
        {
            s.As(client);
            s.Put.Json(InsuranceApi.Plan(1, memberId: "XJH123456789-01")).ToUrl("/api/insurance/plans/primary");
            s.StatusCodeShouldBeOk();
        });
        await TrackedScenario(s =>
        {
            s.As(client);
            s.Delete.Url("/api/insurance/plans/primary").QueryString("expectedVersion", "2");
            s.StatusCodeShouldBeOk();
        });

        var emails = await Mail.WaitForAsync(3);
        await Task.Delay(500);
        Mail.Messages.Count.ShouldBe(3);
        emails.ShouldAllBe(e => e.To.Mailboxes.Single().Address == provider.Email);
        emails.Select(e => e.TextBody ?? string.Empty).ShouldContain(t => t.Contains("Robin V. added insurance details in the client portal."));
        emails.Select(e => e.TextBody ?? string.Empty).ShouldContain(t => t.Contains("Robin V. updated insurance details in the client portal."));
        emails.Select(e => e.TextBody ?? string.Empty).ShouldContain(t => t.Contains("Robin V. removed insurance details in the client portal."));
        emails.ShouldAllBe(e => !(e.TextBody ?? string.Empty).Contains("XJH123456789"));
    }

    private async Task ClientAddsPrimaryWithPhotoAsync(ClientActor client)
    {
        await ClientAddsPrimaryPlanAsync(client);
        await TrackedScenario(s =>
        {
            s.As(client);
            s.Post.MultipartFormData(InsuranceApi.Photo(CardPictures.Png, "front.png", 1)).ToUrl("/api/insurance/plans/primary/photos/front");
            s.StatusCodeShouldBeOk();
        });
    }

    private async Task<PageGet> GetAsync(ISignedIn who, string url)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(who);
            s.Get.Url(url);
            s.StatusCodeShouldBeOk();
        });
        return await PageGetFrom(result);
    }
}

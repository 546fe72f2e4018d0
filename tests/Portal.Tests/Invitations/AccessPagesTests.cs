using Alba;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Invitations;

public sealed class AccessPagesTests(PortalFixture fixture) : AccessTest(fixture)
{
    [Fact]
    public async Task The_console_client_list_shows_each_client_s_portal_status()
    {
        var provider = await Host.NewProviderAsync();
        var active = await Host.NewClientWithAccountAsync(provider, "Active", "Person");
        var invited = await Host.AddClientAsync(provider, "Invited", "Person");
        await Host.SendInvitationAsync(provider, invited.ClientId);
        await Host.AddClientAsync(provider, "Waiting", "Person");

        var page = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url("/console/clients");
            s.StatusCodeShouldBeOk();
        });
        var html = await page.ReadAsTextAsync();
        html.ShouldContain("data-status=\"Active\"");
        html.ShouldContain("data-status=\"Invited\"");
        html.ShouldContain("data-status=\"Eligible\"");
        html.ShouldContain(active.Email);

        var profile = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url($"/console/clients/{invited.ClientId}");
            s.StatusCodeShouldBeOk();
        });
        (await profile.ReadAsTextAsync()).ShouldContain("Resend invitation");
    }

    [Fact]
    public async Task An_unusable_activation_link_opens_a_page_that_offers_a_fresh_link()
    {
        var page = await Host.Scenario(s =>
        {
            s.Get.Url("/activate?token=not-a-real-token");
            s.StatusCodeShouldBeOk();
        });
        var html = await page.ReadAsTextAsync();
        html.ShouldContain("expired or was already used");
        html.ShouldContain("Send me a fresh link");
    }

    [Fact]
    public async Task The_client_account_page_and_the_support_pages_render()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);

        var account = await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/portal/account");
            s.StatusCodeShouldBeOk();
        });
        (await account.ReadAsTextAsync()).ShouldContain(client.Email);

        foreach (var url in new[] { "/support/practices", "/support/accounts" })
        {
            var result = await Host.Scenario(s =>
            {
                s.As(provider.Support);
                s.Get.Url(url);
                s.StatusCodeShouldBeOk();
            });
            (await result.ReadAsTextAsync()).ShouldContain(provider.Email);
        }
        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url("/support/accounts");
            s.StatusCodeShouldBe(302);
        });
    }

    [Fact]
    public async Task An_email_over_its_limit_on_the_account_page_is_refused_saying_the_limit_and_nothing_is_requested()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var page = await Host.OpenPageAsync(client, "/portal/account");
        var result = await Host.Scenario(s => s.PostForm(client, page, "/portal/account", "ChangeEmail",
            new Dictionary<string, string> { ["NewEmail"] = new string('a', 250) + "@example.com" }));
        result.Context.Response.StatusCode.ShouldBe(200);
        (await result.ReadAsTextAsync()).ShouldContain("An email address has at most 254 characters.");
        await using var session = OpenSession();
        (await Marten.QueryableExtensions.CountAsync(session.Query<Portal.Invitations.EmailChanges.EmailChangeRequest>())).ShouldBe(0);
    }
}

using Alba;
using Marten;
using Portal.Invitations.Sessions;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Invitations;

/// <summary>
/// Signing out ends the session on the server: a copy of the cookie taken before is refused after. Opening the
/// sign-out address signs nobody out; only its form's POST, with the antiforgery token, does.
/// </summary>
public sealed class SignOutTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task A_cookie_copied_before_signing_out_is_refused_after_it()
    {
        var provider = await Host.NewProviderAsync();
        var copied = provider.Cookie;

        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Url("/api/account/sign-out");
            s.StatusCodeShouldBe(204);
        });

        await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", copied);
            s.Get.Url("/api/account/me");
            s.StatusCodeShouldBe(401);
        });
        var page = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", copied);
            s.Get.Url("/console/clients");
            s.StatusCodeShouldBe(302);
        });
        page.Context.Response.Headers.Location.ToString().ShouldContain("/signin");
    }

    [Fact]
    public async Task Opening_the_sign_out_address_signs_nobody_out_and_shows_the_button()
    {
        var client = await Host.NewClientWithAccountAsync(await Host.NewProviderAsync(), "Robin", "Reyes");

        var opened = await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/signout");
            s.StatusCodeShouldBeOk();
        });
        var html = await opened.ReadAsTextAsync();
        html.ShouldNotContain("signed out", Case.Insensitive);
        html.ShouldContain("You are signed in as Robin Reyes");
        html.ShouldContain("<button type=\"submit\" class=\"button\">Sign out</button>");
        opened.Context.Response.Headers.SetCookie.ToString().ShouldNotContain("portal.session=;");

        await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/portal");
            s.StatusCodeShouldBeOk();
        });
    }

    [Fact]
    public async Task The_sign_out_page_signs_out_with_its_form_and_the_old_cookie_no_longer_works()
    {
        var client = await Host.NewClientWithAccountAsync(await Host.NewProviderAsync(), "Robin", "Reyes");
        var page = await Host.OpenPageAsync(client, "/signout");

        var signedOut = await Host.Scenario(s => s.PostForm(client, page, "/signout", "", []));
        signedOut.Context.Response.StatusCode.ShouldBe(302);
        signedOut.Context.Response.Headers.Location.ToString().ShouldBe("/signout");
        signedOut.Context.Response.Headers.SetCookie.ToString().ShouldContain("portal.session=;");

        await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/api/account/me");
            s.StatusCodeShouldBe(401);
        });
        var after = await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/signout");
            s.StatusCodeShouldBeOk();
        });
        (await after.ReadAsTextAsync()).ShouldContain("You are signed out");
    }

    [Fact]
    public async Task A_sign_out_post_without_the_antiforgery_token_is_refused_and_the_session_stays()
    {
        var provider = await Host.NewProviderAsync();

        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.FormData(new Dictionary<string, string>()).ToUrl("/signout");
            s.StatusCodeShouldBe(400);
        });

        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url("/api/account/me");
            s.StatusCodeShouldBeOk();
        });
    }

    [Fact]
    public async Task Signing_out_ends_only_that_session_and_keeps_no_usable_session_id()
    {
        var provider = await Host.NewProviderAsync();
        var other = await Host.SignInAgainAsync(provider);

        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Url("/api/account/sign-out");
            s.StatusCodeShouldBe(204);
        });

        await Host.Scenario(s =>
        {
            s.As(other);
            s.Get.Url("/api/account/me");
            s.StatusCodeShouldBeOk();
        });

        await using var session = OpenSession();
        var records = await session.Query<SignInSession>().ToListAsync();
        records.Where(r => r.Role == "provider").Select(r => r.EndReason).OrderBy(r => r).ShouldBe([null, "signed-out"]);
        // Stored as SHA-256 hashes: 64 hex characters, never the id the cookie carries.
        records.ShouldAllBe(r => r.Id.Length == 64);
    }
}

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

        await SignOutThroughApiAsync(provider);

        await GetAsync(copied, "/api/account/me", 401);
        var page = await GetAsync(copied, "/console/clients", 302);
        page.Context.Response.Headers.Location.ToString().ShouldContain("/signin");
    }

    [Fact]
    public async Task Opening_the_sign_out_address_signs_nobody_out_and_shows_the_button()
    {
        var client = await Host.NewClientWithAccountAsync(await Host.NewProviderAsync(), "Robin", "Reyes");

        var opened = await GetAsync(client.Cookie!, "/signout", 200);
        var html = await opened.ReadAsTextAsync();
        html.ShouldNotContain("signed out", Case.Insensitive);
        html.ShouldContain("You are signed in as Robin Reyes");
        html.ShouldContain("<button type=\"submit\" class=\"button\">Sign out</button>");
        opened.Context.Response.Headers.SetCookie.ToString().ShouldNotContain("portal.session=;");

        await GetAsync(client.Cookie!, "/portal", 200);
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

        await GetAsync(client.Cookie!, "/api/account/me", 401);
        var after = await GetAsync(client.Cookie!, "/signout", 200);
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

        await GetAsync(provider.Cookie, "/api/account/me", 200);
    }

    [Fact]
    public async Task Signing_out_ends_only_that_session_and_keeps_no_usable_session_id()
    {
        var provider = await Host.NewProviderAsync();
        var other = await Host.SignInAgainAsync(provider);

        await SignOutThroughApiAsync(provider);

        await GetAsync(other.Cookie, "/api/account/me", 200);
        await using var session = OpenSession();
        var records = await session.Query<SignInSession>().ToListAsync();
        records.Where(r => r.Role == "provider").Select(r => r.EndReason).OrderBy(r => r).ShouldBe([null, "signed-out"]);
        // Stored as SHA-256 hashes: 64 hex characters, never the id the cookie carries.
        records.ShouldAllBe(r => r.Id.Length == 64);
    }

    private Task SignOutThroughApiAsync(ISignedIn who) => Host.Scenario(s =>
    {
        s.As(who);
        s.Post.Url("/api/account/sign-out");
        s.StatusCodeShouldBe(204);
    });

    private Task<IScenarioResult> GetAsync(string cookie, string url, int status) => Host.Scenario(s =>
    {
        s.WithRequestHeader("Cookie", cookie);
        s.Get.Url(url);
        s.StatusCodeShouldBe(status);
    });
}

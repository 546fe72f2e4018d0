using Alba;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Invitations;

public sealed class SignInTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task A_provider_signs_in_with_the_password_support_set_and_the_session_knows_who_they_are()
    {
        var provider = await Host.NewProviderAsync();

        var me = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url("/api/account/me");
            s.StatusCodeShouldBeOk();
        });
        var body = await me.ReadAsJsonAsync<MeBody>();
        body!.Role.ShouldBe("provider");
        body.ProviderId.ShouldBe(provider.ProviderId);
        body.PracticeId.ShouldBe(provider.PracticeId);
    }

    [Fact]
    public async Task A_client_activated_from_an_invitation_signs_in_and_sees_their_portal_home()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Robin", "Reyes");

        var home = await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/portal");
            s.StatusCodeShouldBeOk();
        });
        (await home.ReadAsTextAsync()).ShouldContain("Welcome, Robin Reyes");
    }

    [Fact]
    public async Task The_session_cookie_is_HttpOnly_and_SameSite()
    {
        var provider = await Host.NewProviderAsync();
        var code = await SecondFactors.CodeAsync(Host.Services, provider.Email);
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { email = provider.Email, password = provider.Password, code }).ToUrl("/api/account/sign-in");
            s.StatusCodeShouldBeOk();
        });
        var header = result.Context.Response.Headers.SetCookie
            .Single(c => c!.StartsWith("portal.session=", StringComparison.Ordinal))!.ToLowerInvariant();
        header.ShouldContain("httponly");
        header.ShouldContain("samesite=lax");
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_get_the_same_answer()
    {
        var provider = await Host.NewProviderAsync();

        var wrongPassword = await Host.Scenario(s =>
        {
            s.Post.Json(new { email = provider.Email, password = "not-the-right-password" }).ToUrl("/api/account/sign-in");
            s.StatusCodeShouldBe(401);
        });
        var unknownEmail = await Host.Scenario(s =>
        {
            s.Post.Json(new { email = "nobody-here@portal.test", password = "not-the-right-password" }).ToUrl("/api/account/sign-in");
            s.StatusCodeShouldBe(401);
        });

        var first = await wrongPassword.ReadAsTextAsync();
        var second = await unknownEmail.ReadAsTextAsync();
        Normalize(first).ShouldBe(Normalize(second));
        Actors.SessionCookie(wrongPassword).ShouldBeNull();
        Actors.SessionCookie(unknownEmail).ShouldBeNull();
    }

    [Fact]
    public async Task The_portal_address_leads_a_signed_out_visitor_to_sign_in()
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url("/portal");
            s.StatusCodeShouldBe(302);
        });
        result.Context.Response.Headers.Location.ToString().ShouldStartWith("http://localhost/signin?ReturnUrl=%2Fportal");

        await Host.Scenario(s =>
        {
            s.Get.Url("/signin");
            s.StatusCodeShouldBeOk();
        });
    }

    [Fact]
    public async Task After_signing_out_the_old_cookie_is_refused()
    {
        var provider = await Host.NewProviderAsync();
        var signOut = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Url("/api/account/sign-out");
            s.StatusCodeShouldBe(204);
        });
        signOut.Context.Response.Headers.SetCookie.ToString().ShouldContain("portal.session=;");
    }

    // The problem's "instance"/trace id differ per request; everything else must be identical.
    private static string Normalize(string problem) =>
        System.Text.RegularExpressions.Regex.Replace(problem, "\"traceId\":\"[^\"]*\"", string.Empty);

    private sealed record MeBody(Guid UserId, string Role, Guid? ProviderId, Guid? PracticeId);
}

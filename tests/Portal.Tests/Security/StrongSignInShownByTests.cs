using System.Text.Json;
using Alba;
using Marten;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>
/// What issue 28 is shown by, where the other suites leave a gap: a password-only staff session (each role and
/// support) against every route that names a policy, not a sample; step-up for changing the login email and for every
/// change of factors; a client who lost their phone signing in with a recovery code, which works once.
/// </summary>
public sealed class StrongSignInShownByTests(PortalFixture fixture) : PortalTest(fixture)
{
    private const string MarkerLastName = "Quillbrook";
    private const string MarkerMemberId = "ZQSECOND7731";

    [Fact]
    public async Task Every_staff_role_without_a_second_factor_is_refused_by_every_route_that_names_a_policy_and_sees_no_client_data()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(owner, "Zelda", MarkerLastName);
        await Host.Scenario(s =>
        {
            s.As(client);
            s.Put.Json(new { expectedVersion = 0, payerId = "aetna", planName = "Open Access", memberId = MarkerMemberId,
                groupNumber = "0098765", subscriber = new { isClient = true } }).ToUrl("/api/insurance/plans/primary");
            s.StatusCodeShouldBeOk();
        });
        var people = new List<(string Who, string Cookie)>();
        foreach (var role in new[] { StaffRole.Owner, StaffRole.Clinician, StaffRole.FrontDesk, StaffRole.Biller })
        {
            var email = await NewMemberWithoutFactorAsync(owner, role);
            people.Add((role.ToString(), await Host.SignInWithPasswordOnlyAsync(email)));
        }
        var supportEmail = $"support-{Guid.NewGuid():N}@portal.test";
        await using (var session = OpenSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, supportEmail, Actors.DefaultPassword, "Sue Support", Clock);
        people.Add(("support", await Host.SignInWithPasswordOnlyAsync(supportEmail)));
        // Non-vacuity: the owner, who proved a factor, reads the markers where the sweep looks.
        (await Host.GetAsText($"/api/console/clients/{client.ClientId}/insurance", owner)).ShouldContain(MarkerMemberId);

        string Ids(string parameter) => parameter switch
        {
            "clientId" => client.ClientId.ToString(),
            "providerId" => owner.ProviderId.ToString(),
            "practiceId" => owner.PracticeId.ToString(),
            _ => Guid.NewGuid().ToString(),
        };
        var routes = (await ApiSurface.DiscoverAsync(Host)).Where(r => !r.AllowsAnonymous && r.Policy is not null).ToList();
        routes.ShouldContain(r => r.Pattern == "/api/console/clients/{clientId}/insurance");
        routes.ShouldContain(r => r.IsPage && r.Pattern == "/console/clients/{clientId:guid}");

        var failures = new List<string>();
        foreach (var (who, cookie) in people)
        {
            var gated = 0;
            foreach (var route in routes)
            {
                var url = route.Fill(p => ApiSurface.ValueFor(p, Ids));
                var result = await SendAsync(route, url, cookie);
                var status = result.Context.Response.StatusCode;
                var body = await result.ReadAsTextAsync();
                if (body.Contains(MarkerLastName) || body.Contains(MarkerMemberId) || body.Contains(client.Email))
                    failures.Add($"{route} as {who}: response holds the client's data");
                var location = result.Context.Response.Headers.Location.ToString();
                if (!route.IsPage)
                {
                    // The gate answers first; a role the policy does not admit gets the plain 403.
                    if (status != 403) failures.Add($"{route} as {who} -> {status}");
                    if (body.Contains("secondFactorRequired")) gated++;
                }
                else if (route.Method == "GET")
                {
                    // The gate sends the person to enrol; a page their role may not open sends them to "not allowed".
                    var enrol = status == 302 && location.StartsWith("/account/second-factor");
                    if (!enrol && !(status == 302 && location.Contains("/forbidden")) && status != 403)
                        failures.Add($"{route} as {who} -> {status} {location}");
                    if (enrol) gated++;
                }
                // A form post without its antiforgery token is refused before authorization: nothing for the caller either.
                else if (status is not (400 or 403) && !(status == 302 && location.StartsWith("/account/second-factor")))
                    failures.Add($"{route} as {who} -> {status} {location}");
            }
            // Non-vacuity: the gate itself, not the role, refused this person on the routes their role may use.
            gated.ShouldBeGreaterThan(10, who);
        }
        Console.WriteLine($"second-factor sweep: {routes.Count} routes naming a policy x {people.Count} password-only staff sessions");
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task Changing_the_login_email_and_every_change_of_factors_ask_for_the_factor_again_after_ten_minutes()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(owner);
        var clientCookie = await Host.EnrolSecondFactorAsync(client.Email, client.Cookie!);
        var ownerCookie = owner.Cookie;

        Clock.Advance(TimeSpan.FromMinutes(11));
        var newEmail = new { newEmail = $"new-{Guid.NewGuid():N}@portal.test" };
        (await SendJsonAsync(clientCookie, HttpMethod.Post, "/api/portal/email-change", newEmail, 403))
            .GetProperty("stepUpRequired").GetBoolean().ShouldBeTrue();
        foreach (var url in new[] { "/api/account/authenticator", "/api/account/recovery-codes" })
            (await SendJsonAsync(ownerCookie, HttpMethod.Post, url, null, 403)).GetProperty("stepUpRequired").GetBoolean().ShouldBeTrue(url);
        // Support's reset of someone's factors is a change of factors too.
        var support = owner.Support;
        (await SendJsonAsync(support.Cookie, HttpMethod.Post, "/api/support/second-factor-resets",
                new { email = client.Email, method = "VideoCallWithPhotoId", verification = "Video call, passport matched" }, 403))
            .GetProperty("stepUpRequired").GetBoolean().ShouldBeTrue();

        // Proved again, each goes ahead.
        clientCookie = await StepUpAsync(clientCookie, client.Email);
        ownerCookie = await StepUpAsync(ownerCookie, owner.Email);
        await SendJsonAsync(clientCookie, HttpMethod.Post, "/api/portal/email-change", newEmail, 202);
        (await SendJsonAsync(ownerCookie, HttpMethod.Post, "/api/account/recovery-codes", null, 200))
            .GetProperty("recoveryCodes").GetArrayLength().ShouldBe(10);
        (await SendJsonAsync(ownerCookie, HttpMethod.Post, "/api/account/authenticator", null, 200))
            .GetProperty("secret").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_client_who_lost_their_phone_signs_in_with_a_recovery_code_which_works_once()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(owner);
        await Host.EnrolSecondFactorAsync(client.Email, client.Cookie!);
        var code = SecondFactors.RecoveryCode(client.Email);

        var signedIn = await Host.Scenario(s =>
        {
            s.Post.Json(new { email = client.Email, password = client.Password, code }).ToUrl("/api/account/sign-in");
            s.StatusCodeShouldBeOk();
        });
        var cookie = Actors.SessionCookie(signedIn).ShouldNotBeNull();
        await SendJsonAsync(cookie, HttpMethod.Get, "/api/portal/documents", null, 200);

        await Host.Scenario(s =>
        {
            s.Post.Json(new { email = client.Email, password = client.Password, code }).ToUrl("/api/account/sign-in");
            s.StatusCodeShouldBe(401);
        });
        await using var session = OpenSession();
        var account = await session.Query<Portal.Invitations.Accounts.Account>().SingleAsync(a => a.Email == client.Email);
        account.RecoveryCodeHashes.Count.ShouldBe(9);
    }

    private async Task<string> NewMemberWithoutFactorAsync(ProviderActor owner, StaffRole role)
    {
        var email = $"member-{Guid.NewGuid():N}@portal.test";
        var added = await TrackedJsonAsync(owner.Support.Cookie, HttpMethod.Post, $"/api/support/practices/{owner.PracticeId}/providers",
            new { name = $"{role} Person", email, role = role.ToString() }, 201);
        var providerId = added.GetProperty("providerId").GetGuid();
        await TrackedJsonAsync(owner.Support.Cookie, HttpMethod.Put, $"/api/support/providers/{providerId}/portal-access", new { enabled = true }, 200);
        await TrackedJsonAsync(owner.Support.Cookie, HttpMethod.Put, $"/api/support/providers/{providerId}/password",
            new { password = Actors.DefaultPassword }, 204);
        return email;
    }

    private async Task<string> StepUpAsync(string cookie, string email)
    {
        var code = await SecondFactors.CodeAsync(Host.Services, email);
        var result = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", cookie);
            s.Post.Json(new { code }).ToUrl("/api/account/step-up");
            s.StatusCodeShouldBeOk();
        });
        return Actors.SessionCookie(result)!;
    }

    private async Task<JsonElement> TrackedJsonAsync(string cookie, HttpMethod method, string url, object? body, int status)
    {
        var (_, result) = await TrackedScenario(s => Request(s, cookie, method, url, body, status));
        return await Parse(result);
    }

    private async Task<JsonElement> SendJsonAsync(string cookie, HttpMethod method, string url, object? body, int status) =>
        await Parse(await Host.Scenario(s => Request(s, cookie, method, url, body, status)));

    private static void Request(Scenario s, string cookie, HttpMethod method, string url, object? body, int status)
    {
        s.WithRequestHeader("Cookie", cookie);
        if (method == HttpMethod.Get) s.Get.Url(url);
        else if (method == HttpMethod.Put) s.Put.Json(body ?? new { }).ToUrl(url);
        else if (body is null) s.Post.Url(url);
        else s.Post.Json(body).ToUrl(url);
        s.StatusCodeShouldBe(status);
    }

    private static async Task<JsonElement> Parse(IScenarioResult result)
    {
        var text = await result.ReadAsTextAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private Task<IScenarioResult> SendAsync(Route route, string url, string cookie) => Host.Scenario(s =>
    {
        s.WithRequestHeader("Cookie", cookie);
        route.Ask(s, url);
    });
}

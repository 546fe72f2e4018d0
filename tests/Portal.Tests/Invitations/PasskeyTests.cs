using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Marten;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.BuildingBlocks.Auditing;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Invitations;

/// <summary>
/// The server side of the WebAuthn ceremonies, driven by a software authenticator: registration options and attestation,
/// sign-in with a passkey alone and after a password, step-up, and what must be refused (a replayed challenge, another
/// origin, a counter that goes backwards, a removed passkey).
/// </summary>
public sealed class PasskeyTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task Registration_options_ask_for_a_discoverable_credential_with_user_verification_for_this_portal_only()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);

        var started = await PostAsync(client.Cookie, "/api/account/passkeys/options", null, 200);

        var options = started.GetProperty("options");
        options.GetProperty("rp").GetProperty("id").GetString().ShouldBe("localhost");
        var selection = options.GetProperty("authenticatorSelection");
        selection.GetProperty("residentKey").GetString().ShouldBe("required");
        selection.GetProperty("userVerification").GetString().ShouldBe("preferred");
        SoftwareAuthenticator.FromBase64Url(options.GetProperty("challenge").GetString()!).Length.ShouldBeGreaterThanOrEqualTo(16);
        new Guid(SoftwareAuthenticator.FromBase64Url(options.GetProperty("user").GetProperty("id").GetString()!))
            .ShouldBe(await UserIdAsync(client.Cookie!));
        options.GetProperty("user").GetProperty("name").GetString().ShouldBe(client.Email);
    }

    [Fact]
    public async Task A_client_registers_a_named_passkey_which_is_listed_and_the_change_audited()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        using var authenticator = new SoftwareAuthenticator();

        var added = await RegisterAsync(client.Cookie!, authenticator, "My phone");

        added.GetProperty("name").GetString().ShouldBe("My phone");
        added.GetProperty("id").GetString().ShouldBe(authenticator.Id);
        var list = await GetAsync(client.Cookie!, "/api/account/passkeys");
        list.GetArrayLength().ShouldBe(1);
        list[0].GetProperty("name").GetString().ShouldBe("My phone");
        list[0].GetProperty("lastUsedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        (await AuditAsync("account.passkey-added")).ShouldContain("added");
    }

    [Fact]
    public async Task A_passkey_signs_in_alone_and_the_session_starts_with_its_second_factor_proven()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        using var authenticator = new SoftwareAuthenticator();
        await RegisterAsync(client.Cookie!, authenticator, "Laptop");

        var (result, body) = await SignInWithPasskeyAsync(authenticator, 200);

        body.GetProperty("redirectTo").GetString().ShouldBe("/portal");
        var cookie = Actors.SessionCookie(result).ShouldNotBeNull();
        var claims = Claims(cookie);
        claims.FindFirst("portal:mfa-at").ShouldNotBeNull();
        claims.FindFirst("portal:client")!.Value.ShouldBe(client.ClientId.ToString());
        var list = await GetAsync(cookie, "/api/account/passkeys");
        list[0].GetProperty("lastUsedAt").ValueKind.ShouldBe(JsonValueKind.String);
        (await AuditAsync("account.sign-in")).ShouldContain("success-passkey");
    }

    [Fact]
    public async Task A_replayed_challenge_is_refused_for_sign_in_and_for_registration()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        using var authenticator = new SoftwareAuthenticator();
        var registration = await PostAsync(client.Cookie, "/api/account/passkeys/options", null, 200);
        var attestation = authenticator.Attest(registration.GetProperty("options"));
        var register = new { ceremonyId = registration.GetProperty("ceremonyId").GetGuid(), name = "Phone", credential = attestation };
        await PostAsync(client.Cookie, "/api/account/passkeys", register, 201);
        var again = await PostAsync(client.Cookie, "/api/account/passkeys", register, 400);
        again.GetProperty("errors").TryGetProperty("ceremonyId", out _).ShouldBeTrue();

        var ceremony = await PostAsync(null, "/api/account/sign-in/passkey/options", null, 200);
        var first = new { ceremonyId = ceremony.GetProperty("ceremonyId").GetGuid(), credential = authenticator.Assert(ceremony.GetProperty("options")) };
        await PostAsync(null, "/api/account/sign-in/passkey", first, 200);
        // The same answer again, and a fresh signature over the same challenge: both find the challenge used.
        var replayed = await Host.Scenario(s =>
        {
            s.Post.Json(first).ToUrl("/api/account/sign-in/passkey");
            s.StatusCodeShouldBe(400);
        });
        Actors.SessionCookie(replayed).ShouldBeNull();
        var resigned = new { ceremonyId = first.ceremonyId, credential = authenticator.Assert(ceremony.GetProperty("options")) };
        (await PostAsync(null, "/api/account/sign-in/passkey", resigned, 400)).GetProperty("errors").TryGetProperty("ceremonyId", out _)
            .ShouldBeTrue();
    }

    [Fact]
    public async Task An_answer_made_for_another_origin_is_refused()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        using var authenticator = new SoftwareAuthenticator();

        // A look-alike site relaying the portal's challenge: registration and sign-in both refuse it.
        var registration = await PostAsync(client.Cookie, "/api/account/passkeys/options", null, 200);
        var foreign = authenticator.Attest(registration.GetProperty("options"), origin: "https://portal-login.example");
        await PostAsync(client.Cookie, "/api/account/passkeys",
            new { ceremonyId = registration.GetProperty("ceremonyId").GetGuid(), name = "Phone", credential = foreign }, 400);
        (await GetAsync(client.Cookie!, "/api/account/passkeys")).GetArrayLength().ShouldBe(0);

        await RegisterAsync(client.Cookie!, authenticator, "Phone");
        var ceremony = await PostAsync(null, "/api/account/sign-in/passkey/options", null, 200);
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new
            {
                ceremonyId = ceremony.GetProperty("ceremonyId").GetGuid(),
                credential = authenticator.Assert(ceremony.GetProperty("options"), origin: "https://portal-login.example"),
            }).ToUrl("/api/account/sign-in/passkey");
            s.StatusCodeShouldBe(401);
        });
        Actors.SessionCookie(result).ShouldBeNull();
    }

    [Fact]
    public async Task A_signature_counter_that_goes_backwards_is_refused_and_audited()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        using var authenticator = new SoftwareAuthenticator();
        await RegisterAsync(client.Cookie!, authenticator, "Key");
        await SignInWithPasskeyAsync(authenticator, 200, counter: 7);

        // A copy of the key that is behind the original: its counter says 3 after the portal has seen 7.
        var (result, _) = await SignInWithPasskeyAsync(authenticator, 401, counter: 3);

        Actors.SessionCookie(result).ShouldBeNull();
        (await AuditAsync("account.passkey-counter-regressed")).ShouldNotBeEmpty();
        (await AuditAsync("account.sign-in")).ShouldContain("refused-counter-regressed");
        await SignInWithPasskeyAsync(authenticator, 200, counter: 8);
    }

    [Fact]
    public async Task A_removed_passkey_no_longer_signs_in()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        using var authenticator = new SoftwareAuthenticator();
        await RegisterAsync(client.Cookie!, authenticator, "Old phone");

        // Removing a factor is changing factors: a session that signed in with a password alone proves one first.
        var stale = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", client.Cookie!);
            s.Delete.Url($"/api/account/passkeys/{authenticator.Id}");
            s.StatusCodeShouldBe(403);
        });
        (await stale.ReadAsJsonAsync<JsonElement>()).GetProperty("stepUpRequired").GetBoolean().ShouldBeTrue();
        var (signedIn, _) = await SignInWithPasskeyAsync(authenticator, 200);
        var proved = Actors.SessionCookie(signedIn).ShouldNotBeNull();
        await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", proved);
            s.Delete.Url($"/api/account/passkeys/{authenticator.Id}");
            s.StatusCodeShouldBeOk();
        });

        await SignInWithPasskeyAsync(authenticator, 401);
        (await GetAsync(client.Cookie!, "/api/account/passkeys")).GetArrayLength().ShouldBe(0);
        (await AuditAsync("account.passkey-removed")).ShouldContain("removed");
    }

    [Fact]
    public async Task Someone_else_cannot_remove_a_passkey_that_is_not_theirs()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        using var authenticator = new SoftwareAuthenticator();
        await RegisterAsync(client.Cookie!, authenticator, "Phone");

        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Delete.Url($"/api/account/passkeys/{authenticator.Id}");
            s.StatusCodeShouldBe(404);
        });
        (await GetAsync(client.Cookie!, "/api/account/passkeys")).GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task After_the_right_password_a_login_with_passkeys_is_asked_for_one_and_signs_in_with_it()
    {
        var provider = await Host.NewProviderAsync();
        using var authenticator = new SoftwareAuthenticator();
        await RegisterAsync(provider.Cookie, authenticator, "Office key");

        var asked = await Host.Scenario(s =>
        {
            // The provider has an authenticator app too (staff must): they choose the passkey over the code.
            s.Post.Json(new { email = provider.Email, password = provider.Password, usePasskey = true }).ToUrl("/api/account/sign-in");
            s.StatusCodeShouldBe(401);
        });
        Actors.SessionCookie(asked).ShouldBeNull();
        var problem = await asked.ReadAsJsonAsync<JsonElement>();
        problem.GetProperty("passkeyRequired").GetBoolean().ShouldBeTrue();
        var options = problem.GetProperty("options");
        options.GetProperty("allowCredentials")[0].GetProperty("id").GetString().ShouldBe(authenticator.Id);

        var (result, body) = await PostForResultAsync("/api/account/sign-in/passkey", new
        {
            ceremonyId = problem.GetProperty("ceremonyId").GetGuid(), credential = authenticator.Assert(options),
        }, 200);
        body.GetProperty("redirectTo").GetString().ShouldBe("/console");
        Claims(Actors.SessionCookie(result)!).FindFirst("portal:mfa-at").ShouldNotBeNull();
        (await AuditAsync("account.sign-in")).ShouldContain("success-password-passkey");
    }

    [Fact]
    public async Task A_second_factor_ceremony_does_not_accept_another_logins_passkey()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        using var providerKey = new SoftwareAuthenticator();
        using var clientKey = new SoftwareAuthenticator();
        await RegisterAsync(provider.Cookie, providerKey, "Office key");
        await RegisterAsync(client.Cookie!, clientKey, "Phone");

        var asked = await Host.Scenario(s =>
        {
            // The provider has an authenticator app too (staff must): they choose the passkey over the code.
            s.Post.Json(new { email = provider.Email, password = provider.Password, usePasskey = true }).ToUrl("/api/account/sign-in");
            s.StatusCodeShouldBe(401);
        });
        var problem = await asked.ReadAsJsonAsync<JsonElement>();
        var (result, _) = await PostForResultAsync("/api/account/sign-in/passkey", new
        {
            ceremonyId = problem.GetProperty("ceremonyId").GetGuid(), credential = clientKey.Assert(problem.GetProperty("options")),
        }, 401);
        Actors.SessionCookie(result).ShouldBeNull();
    }

    [Fact]
    public async Task A_passkey_sign_in_is_refused_while_the_account_is_locked()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        using var authenticator = new SoftwareAuthenticator();
        await RegisterAsync(client.Cookie!, authenticator, "Phone");
        for (var i = 0; i < Portal.Invitations.SignIn.SignInFlow.LockAfter; i++)
            await Host.Scenario(s =>
            {
                s.Post.Json(new { email = client.Email, password = "not-the-password-at-all" }).ToUrl("/api/account/sign-in");
                s.StatusCodeShouldBe(i == Portal.Invitations.SignIn.SignInFlow.LockAfter - 1 ? 429 : 401);
            });

        var (result, _) = await SignInWithPasskeyAsync(authenticator, 429);

        Actors.SessionCookie(result).ShouldBeNull();
        (await AuditAsync("account.sign-in")).ShouldContain("refused-locked");
    }

    [Fact]
    public async Task Step_up_with_a_passkey_renews_when_the_session_last_proved_a_second_factor()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        using var authenticator = new SoftwareAuthenticator();
        await RegisterAsync(client.Cookie!, authenticator, "Phone");
        Claims(client.Cookie!).FindFirst("portal:mfa-at").ShouldBeNull();

        var ceremony = await PostAsync(client.Cookie, "/api/account/step-up/passkey/options", null, 200);
        var result = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", client.Cookie!);
            s.Post.Json(new
            {
                ceremonyId = ceremony.GetProperty("ceremonyId").GetGuid(), credential = authenticator.Assert(ceremony.GetProperty("options")),
            }).ToUrl("/api/account/step-up/passkey");
            s.StatusCodeShouldBeOk();
        });

        var renewed = Claims(Actors.SessionCookie(result).ShouldNotBeNull());
        renewed.FindFirst("portal:mfa-at")!.Value.ShouldBe(Clock.GetUtcNow().ToUnixTimeSeconds().ToString());
        // The same session, not a new one.
        renewed.FindFirst("portal:sid")!.Value.ShouldBe(Claims(client.Cookie!).FindFirst("portal:sid")!.Value);
        (await AuditAsync("account.step-up")).ShouldContain("success-passkey");
    }

    [Fact]
    public async Task A_credential_that_is_not_one_answers_400_naming_the_field()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var registration = await PostAsync(client.Cookie, "/api/account/passkeys/options", null, 200);

        var problem = await PostAsync(client.Cookie, "/api/account/passkeys",
            new { ceremonyId = registration.GetProperty("ceremonyId").GetGuid(), name = "Phone", credential = "nope" }, 400);
        problem.GetProperty("errors").TryGetProperty("credential", out _).ShouldBeTrue();
        var tooLong = await PostAsync(client.Cookie, "/api/account/passkeys",
            new { ceremonyId = registration.GetProperty("ceremonyId").GetGuid(), name = new string('x', 61), credential = new { } }, 400);
        tooLong.GetProperty("errors").TryGetProperty("name", out _).ShouldBeTrue();
    }

    private async Task<JsonElement> RegisterAsync(string cookie, SoftwareAuthenticator authenticator, string name)
    {
        var started = await PostAsync(cookie, "/api/account/passkeys/options", null, 200);
        return await PostAsync(cookie, "/api/account/passkeys", new
        {
            ceremonyId = started.GetProperty("ceremonyId").GetGuid(), name, credential = authenticator.Attest(started.GetProperty("options")),
        }, 201);
    }

    private async Task<(IScenarioResult Result, JsonElement Body)> SignInWithPasskeyAsync(SoftwareAuthenticator authenticator, int status,
        uint? counter = null)
    {
        var ceremony = await PostAsync(null, "/api/account/sign-in/passkey/options", null, 200);
        return await PostForResultAsync("/api/account/sign-in/passkey", new
        {
            ceremonyId = ceremony.GetProperty("ceremonyId").GetGuid(),
            credential = authenticator.Assert(ceremony.GetProperty("options"), counter: counter),
        }, status);
    }

    private async Task<(IScenarioResult, JsonElement)> PostForResultAsync(string url, object body, int status)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl(url);
            s.StatusCodeShouldBe(status);
        });
        return (result, await result.ReadAsJsonAsync<JsonElement>());
    }

    private async Task<JsonElement> PostAsync(string? cookie, string url, object? body, int status)
    {
        var result = await Host.Scenario(s =>
        {
            if (cookie is not null) s.WithRequestHeader("Cookie", cookie);
            s.Post.Json(body ?? new { }).ToUrl(url);
            s.StatusCodeShouldBe(status);
        });
        return await result.ReadAsJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> GetAsync(string cookie, string url)
    {
        var result = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", cookie);
            s.Get.Url(url);
            s.StatusCodeShouldBeOk();
        });
        return await result.ReadAsJsonAsync<JsonElement>();
    }

    private async Task<Guid> UserIdAsync(string cookie) => (await GetAsync(cookie, "/api/account/me")).GetProperty("userId").GetGuid();

    private System.Security.Claims.ClaimsPrincipal Claims(string cookie) => Host.Services
        .GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
        .Get("Cookies").TicketDataFormat.Unprotect(Uri.UnescapeDataString(cookie["portal.session=".Length..]))!.Principal;

    private async Task<IReadOnlyList<string?>> AuditAsync(string action)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Query<AuditEntry>().Where(a => a.Action == action).ToListAsync()).Select(a => a.Outcome).ToList();
    }
}

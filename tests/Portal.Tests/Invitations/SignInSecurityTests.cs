using System.Net;
using Alba;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using Portal.BuildingBlocks.Auditing;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Invitations;

public sealed class SignInSecurityTests(PortalFixture fixture) : AccessTest(fixture)
{
    [Fact]
    public async Task The_fifth_failed_sign_in_locks_known_and_unknown_emails_alike_and_says_until_when()
    {
        var provider = await Host.NewProviderAsync();
        var answers = new List<string>();
        foreach (var email in new[] { provider.Email, $"unknown-{Guid.NewGuid():N}@portal.test" })
        {
            for (var attempt = 1; attempt <= 4; attempt++)
            {
                await Host.Scenario(s =>
                {
                    s.Post.Json(new { email, password = "wrong-password-here" }).ToUrl("/api/account/sign-in");
                    s.StatusCodeShouldBe(401);
                });
            }
            var until = Clock.GetUtcNow() + TimeSpan.FromMinutes(15);
            var locked = await Host.Scenario(s =>
            {
                s.Post.Json(new { email, password = "wrong-password-here" }).ToUrl("/api/account/sign-in");
                s.StatusCodeShouldBe(429);
            });
            var body = (await locked.ReadAsJsonAsync<LockedBody>())!;
            body.LockedUntil.ShouldBe(until);
            body.Title.ShouldContain($"locked until {Portal.BuildingBlocks.Time.PortalTime.DateTime(until.AddSeconds(59), Portal.BuildingBlocks.Time.PortalTime.DefaultZone)}");
            body.Title.ShouldEndWith(". Wait until then, or reset your password to unlock it now.");
            body.Title.ShouldNotContain("UTC");
            answers.Add(body.Title);
        }
        answers.Distinct().Count().ShouldBe(1);

        // Even the right password waits until the lock ends, and then works.
        await Host.Scenario(s =>
        {
            s.Post.Json(new { email = provider.Email, password = provider.Password }).ToUrl("/api/account/sign-in");
            s.StatusCodeShouldBe(429);
        });
        Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        await Host.SignInAsync(provider.Email, provider.Password);
    }

    [Fact]
    public async Task Unknown_and_known_emails_get_identical_reset_responses()
    {
        var provider = await Host.NewProviderAsync();
        var (knownTracked, known) = await Post(null, "/api/account/password-reset", new { email = provider.Email }, 202);
        var (unknownTracked, unknown) = await Post(null, "/api/account/password-reset", new { email = "nobody-at-all@portal.test" }, 202);

        (await known.ReadAsTextAsync()).ShouldBe(await unknown.ReadAsTextAsync());
        Published<PasswordResetEmailRequested>(knownTracked).ShouldHaveSingleItem();
        Published<PasswordResetEmailRequested>(unknownTracked).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_reset_link_works_once_within_30_minutes_and_unlocks_the_account()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var locked = await FailUntilLocked(client.Email);
        locked.Email.ShouldBe(client.Email);
        await Host.Scenario(s =>
        {
            s.Post.Json(new { email = client.Email, password = client.Password }).ToUrl("/api/account/sign-in");
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse("198.51.100.77"));
            s.StatusCodeShouldBe(429);
        });
        (await Host.GetAsJson<AccessBody>($"/api/console/clients/{client.ClientId}/access", provider)).Status.ShouldBe("Locked");

        var (tracked, _) = await Post(null, "/api/account/password-reset", new { email = client.Email }, 202);
        var token = Host.TokenFrom(Published<PasswordResetEmailRequested>(tracked).Single().ResetLink);
        Clock.Advance(TimeSpan.FromMinutes(29));
        const string newPassword = "Granite-Meadow-Violin-77";
        await Host.Scenario(s =>
        {
            s.Post.Json(new { token, password = newPassword }).ToUrl("/api/account/password-reset/complete");
            s.StatusCodeShouldBe(204);
        });
        await Host.Scenario(s =>
        {
            s.Post.Json(new { token, password = "Another-Granite-Meadow-78" }).ToUrl("/api/account/password-reset/complete");
            s.StatusCodeShouldBe(410);
        });
        await Host.SignInAsync(client.Email, newPassword);
    }

    [Fact]
    public async Task A_reset_link_is_refused_after_30_minutes()
    {
        var provider = await Host.NewProviderAsync();
        var (tracked, _) = await Post(null, "/api/account/password-reset", new { email = provider.Email }, 202);
        var token = Host.TokenFrom(Published<PasswordResetEmailRequested>(tracked).Single().ResetLink);
        Clock.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1));
        await Host.Scenario(s =>
        {
            s.Post.Json(new { token, password = "Granite-Meadow-Violin-77" }).ToUrl("/api/account/password-reset/complete");
            s.StatusCodeShouldBe(410);
        });
    }

    [Fact]
    public async Task Support_can_unlock_a_locked_client()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await FailUntilLocked(client.Email);

        await Host.Scenario(s =>
        {
            s.As(provider.Support);
            s.Post.Url($"/api/support/clients/{client.ClientId}/unlock");
            s.StatusCodeShouldBe(204);
        });
        await Host.SignInAsync(client.Email, client.Password!);
    }

    [Fact]
    public async Task With_an_authenticator_sign_in_needs_a_code_and_a_recovery_code_works_once()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var setup = await Host.Scenario(s =>
        {
            s.As(client);
            s.Post.Url("/api/account/authenticator");
            s.StatusCodeShouldBeOk();
        });
        var body = (await setup.ReadAsJsonAsync<SetupBody>())!;
        body.QrCodeDataUri.ShouldStartWith("data:image/png;base64,");
        var totp = new Totp(Base32Encoding.ToBytes(body.Secret));
        var enabled = await Host.Scenario(s =>
        {
            s.As(client);
            s.Post.Json(new { code = totp.ComputeTotp(Clock.GetUtcNow().UtcDateTime) }).ToUrl("/api/account/authenticator/confirm");
            s.StatusCodeShouldBeOk();
        });
        var recoveryCodes = (await enabled.ReadAsJsonAsync<EnabledBody>())!.RecoveryCodes;
        recoveryCodes.Count.ShouldBe(10);

        var withoutCode = await Host.Scenario(s =>
        {
            s.Post.Json(new { email = client.Email, password = client.Password }).ToUrl("/api/account/sign-in");
            s.StatusCodeShouldBe(401);
        });
        (await withoutCode.ReadAsTextAsync()).ShouldContain("codeRequired");
        Actors.SessionCookie(withoutCode).ShouldBeNull();

        Clock.Advance(TimeSpan.FromSeconds(30));
        await Host.SignInAsync(client.Email, client.Password!, totp.ComputeTotp(Clock.GetUtcNow().UtcDateTime));
        await Host.SignInAsync(client.Email, client.Password!, recoveryCodes[0]);
        await Host.Scenario(s =>
        {
            s.Post.Json(new { email = client.Email, password = client.Password, code = recoveryCodes[0] }).ToUrl("/api/account/sign-in");
            s.StatusCodeShouldBe(401);
        });
    }

    [Fact]
    public async Task A_session_ends_after_30_idle_minutes()
    {
        var provider = await Host.NewProviderAsync();
        Clock.Advance(TimeSpan.FromMinutes(31));
        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url("/api/account/me");
            s.StatusCodeShouldBe(401);
        });
    }

    [Fact]
    public async Task An_active_session_still_ends_after_12_hours()
    {
        var provider = await Host.NewProviderAsync();
        var cookie = provider.Cookie;
        var elapsed = TimeSpan.Zero;
        while (elapsed < TimeSpan.FromHours(12) - TimeSpan.FromMinutes(10))
        {
            Clock.Advance(TimeSpan.FromMinutes(10));
            elapsed += TimeSpan.FromMinutes(10);
            var result = await Host.Scenario(s =>
            {
                s.WithRequestHeader("Cookie", cookie);
                s.Get.Url("/api/account/me");
                s.StatusCodeShouldBeOk();
            });
            cookie = Actors.SessionCookie(result) ?? cookie;
        }

        Clock.Advance(TimeSpan.FromMinutes(11));
        await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", cookie);
            s.Get.Url("/api/account/me");
            s.StatusCodeShouldBe(401);
        });
    }

    [Fact]
    public async Task Each_sign_in_starts_a_new_session_id()
    {
        var provider = await Host.NewProviderAsync();
        var again = await Host.SignInAgainAsync(provider);
        again.Cookie.ShouldNotBe(provider.Cookie);
        var ids = new List<string>();
        foreach (var cookie in new[] { provider.Cookie, again.Cookie })
        {
            var ticket = Host.Services
                .GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<
                    Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>>()
                .Get("Cookies").TicketDataFormat.Unprotect(Uri.UnescapeDataString(cookie["portal.session=".Length..]));
            ids.Add(ticket!.Principal.FindFirst("portal:sid")!.Value);
        }
        ids.Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public async Task Sign_ins_are_audited()
    {
        var provider = await Host.NewProviderAsync();
        await Host.Scenario(s =>
        {
            s.Post.Json(new { email = provider.Email, password = "wrong-password-here" }).ToUrl("/api/account/sign-in");
            s.StatusCodeShouldBe(401);
        });
        await using var session = OpenSession();
        var entries = await session.Query<AuditEntry>().Where(a => a.Action == "account.sign-in").ToListAsync();
        entries.ShouldContain(e => e.Outcome == "success");
        entries.ShouldContain(e => e.Outcome == "failed");
    }

    [Fact]
    public async Task A_second_host_reading_the_key_ring_from_PostgreSQL_accepts_what_this_host_protected()
    {
        var protectedText = Host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Portal.SecretLink").Protect("hello");

        var services = new ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Portal"] = TestDatabase.ConnectionString }).Build());
        services.AddLogging();
        new Portal.Invitations.InvitationsModule().AddServices(services,
            services.BuildServiceProvider().GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>());
        await using var other = services.BuildServiceProvider();

        other.GetRequiredService<IDataProtectionProvider>().CreateProtector("Portal.SecretLink").Unprotect(protectedText).ShouldBe("hello");
    }

    /// <summary>Fails sign-in from five different addresses: the fifth locks the account.</summary>
    private async Task<AccountLocked> FailUntilLocked(string email)
    {
        AccountLocked? locked = null;
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var address = IPAddress.Parse($"203.0.113.{attempt}");
            var status = attempt < 5 ? 401 : 429;
            var (tracked, _) = await TrackedScenario(s =>
            {
                s.Post.Json(new { email, password = "wrong-password-here" }).ToUrl("/api/account/sign-in");
                s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = address);
                s.StatusCodeShouldBe(status);
            });
            locked ??= Published<AccountLocked>(tracked).SingleOrDefault();
        }
        return locked.ShouldNotBeNull();
    }

    private sealed record LockedBody(string Title, DateTimeOffset LockedUntil);

    private sealed record SetupBody(string Secret, string OtpAuthUri, string QrCodeDataUri);

    private sealed record EnabledBody(List<string> RecoveryCodes);
}

using System.Net;
using Alba;
using Marten;
using Portal.BuildingBlocks.Auditing;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Invitations;

/// <summary>
/// Lockouts with a way back: the sign-in page says until when an account is locked, in the browser's time zone; a
/// completed password reset ends the lock and says so; the address budget never keeps out the owner who has just
/// reset; support's unlock ends the lock and is audited with who and when.
/// </summary>
public sealed class LockoutTests(PortalFixture fixture) : AccessTest(fixture)
{
    private const string NewPassword = "Granite-Meadow-Violin-77";

    [Fact]
    public async Task A_locked_account_refuses_the_right_password_until_a_reset_which_unlocks_it_and_says_so()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var signIn = await Host.OpenPageAsync(Nobody.Instance, "/signin");
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var failed = await PostSignInAsync(signIn, client.Email, "wrong-password-here", "America/New_York");
            failed.Context.Response.StatusCode.ShouldBe(200);
        }
        var until = Clock.GetUtcNow() + TimeSpan.FromMinutes(15);
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var expected = $"locked until {Portal.BuildingBlocks.Time.PortalTime.DateTime(until.AddSeconds(59), newYork)}";

        var fifth = await PostSignInAsync(signIn, client.Email, "wrong-password-here", "America/New_York");
        fifth.Context.Response.StatusCode.ShouldBe(429);
        (await fifth.ReadAsTextAsync()).ShouldContain(expected);

        var right = await PostSignInAsync(signIn, client.Email, client.Password!, "America/New_York");
        right.Context.Response.StatusCode.ShouldBe(429);
        var refused = await right.ReadAsTextAsync();
        refused.ShouldContain(expected);
        refused.ShouldContain("reset your password to unlock it now");
        Actors.SessionCookie(right).ShouldBeNull();

        // A zone the machine does not know is not trusted: the time is said in the practice's zone (New York by default).
        var unknownZone = await PostSignInAsync(signIn, client.Email, client.Password!, "Mars/Olympus_Mons");
        var unknownText = await unknownZone.ReadAsTextAsync();
        unknownText.ShouldContain(expected);
        unknownText.ShouldNotContain("UTC");

        var reset = await ResetOnThePageAsync(client.Email);
        reset.Context.Response.Headers.Location.ToString().ShouldBe("/signin?reset=1");
        var after = await Host.Scenario(s =>
        {
            s.Get.Url("/signin?reset=1");
            s.StatusCodeShouldBeOk();
        });
        WebUtility.HtmlDecode(await after.ReadAsTextAsync()).ShouldContain("Your password was changed and your account is unlocked \u2014 sign in.");

        var signedIn = await PostSignInAsync(signIn, client.Email, NewPassword, "America/New_York");
        signedIn.Context.Response.StatusCode.ShouldBe(302);
        signedIn.Context.Response.Headers.Location.ToString().ShouldBe("/portal");
        Actors.SessionCookie(signedIn).ShouldNotBeNull();
    }

    [Fact]
    public async Task The_lock_email_says_until_when()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        Mail.Clear();
        var until = Clock.GetUtcNow() + TimeSpan.FromMinutes(15);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await TrackedScenario(s =>
            {
                s.Post.Json(new { email = client.Email, password = "wrong-password-here" }).ToUrl("/api/account/sign-in");
                s.StatusCodeShouldBe(attempt < 5 ? 401 : 429);
            });
        }

        var mail = (await Mail.WaitForAsync()).Single(m => m.To.ToString().Contains(client.Email, StringComparison.OrdinalIgnoreCase));
        (mail.TextBody ?? string.Empty).ShouldContain($"You can try again after {Portal.BuildingBlocks.Time.PortalTime.DateTime(until, Portal.BuildingBlocks.Time.PortalTime.DefaultZone)}");
    }

    [Fact]
    public async Task After_a_reset_the_owner_signs_in_even_when_their_address_has_spent_its_request_budget()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var shared = IPAddress.Parse($"10.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");

        // Someone else on the same network spends the address's budget of account requests (30 a minute).
        for (var request = 1; request <= 30; request++)
        {
            await Host.Scenario(s =>
            {
                s.Post.Json(new { email = $"guess-{request}@portal.test", password = "wrong-password-here" }).ToUrl("/api/account/sign-in");
                s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = shared);
                s.StatusCodeShouldBe(401);
            });
        }
        await Host.Scenario(s =>
        {
            s.Post.Json(new { email = client.Email, password = client.Password }).ToUrl("/api/account/sign-in");
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = shared);
            s.StatusCodeShouldBe(429);
        });

        var reset = await ResetOnThePageAsync(client.Email);
        var justReset = reset.Context.Response.Headers.SetCookie.Select(c => c!.Split(';')[0])
            .Single(c => c.StartsWith("portal.just-reset=", StringComparison.Ordinal));

        var signedIn = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", justReset);
            s.Post.Json(new { email = client.Email, password = NewPassword }).ToUrl("/api/account/sign-in");
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = shared);
            s.StatusCodeShouldBeOk();
        });
        Actors.SessionCookie(signedIn).ShouldNotBeNull();

        // The address itself is still limited for everyone else.
        await Host.Scenario(s =>
        {
            s.Post.Json(new { email = client.Email, password = NewPassword }).ToUrl("/api/account/sign-in");
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = shared);
            s.StatusCodeShouldBe(429);
        });
    }

    [Fact]
    public async Task Support_unlocks_from_the_accounts_page_and_the_unlock_is_audited_with_who_and_when()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await TrackedScenario(s =>
            {
                s.Post.Json(new { email = client.Email, password = "wrong-password-here" }).ToUrl("/api/account/sign-in");
                s.StatusCodeShouldBe(attempt < 5 ? 401 : 429);
            });
        }

        var accounts = await Host.OpenPageAsync(provider.Support, "/support/accounts");
        accounts.Html.ShouldContain(client.Email);
        accounts.Html.ShouldContain($"clientId={client.ClientId}");
        Clock.Advance(TimeSpan.FromMinutes(2));
        var unlockedAt = Clock.GetUtcNow();
        var (_, unlocked) = await TrackedScenario(s =>
            s.PostForm(provider.Support, accounts, "/support/accounts", "Unlock", [], $"clientId={client.ClientId}"));
        unlocked.Context.Response.StatusCode.ShouldBe(200);
        var html = await unlocked.ReadAsTextAsync();
        html.ShouldContain("Unlocked.");
        html.ShouldNotContain($"clientId={client.ClientId}");

        await Host.SignInAsync(client.Email, client.Password!);
        await using var session = OpenSession();
        var entry = (await session.Query<AuditEntry>().Where(a => a.Action == "account.unlocked" && a.ClientId == client.ClientId)
            .ToListAsync()).ShouldHaveSingleItem();
        entry.ActorRole.ShouldBe("support");
        entry.ActorId.ShouldBe(provider.Support.UserId);
        entry.At.ShouldBe(unlockedAt);
        entry.Outcome.ShouldBe("lock-ended");
    }

    /// <summary>Asks for a reset link and chooses <see cref="NewPassword"/> on the reset page, as the owner would.</summary>
    private async Task<IScenarioResult> ResetOnThePageAsync(string email)
    {
        var (tracked, _) = await Post(null, "/api/account/password-reset", new { email }, 202);
        var token = Host.TokenFrom(Published<PasswordResetEmailRequested>(tracked).Single().ResetLink);
        var page = await Host.OpenPageAsync(Nobody.Instance, $"/reset-password?token={token}");
        var (_, result) = await TrackedScenario(s =>
            s.PostForm(Nobody.Instance, page, "/reset-password", "", new() { ["Token"] = token, ["Password"] = NewPassword }));
        result.Context.Response.StatusCode.ShouldBe(302);
        return result;
    }

    private Task<IScenarioResult> PostSignInAsync(OpenedPage page, string email, string password, string timeZone) =>
        Host.Scenario(s => s.PostForm(Nobody.Instance, page, "/signin", "",
            new() { ["Email"] = email, ["Password"] = password, ["TimeZone"] = timeZone }));

    /// <summary>A browser without a session.</summary>
    private sealed record Nobody(string Cookie) : ISignedIn
    {
        public static readonly Nobody Instance = new("portal.none=1");
    }
}

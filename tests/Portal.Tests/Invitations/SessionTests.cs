using System.Net;
using Alba;
using Marten;
using Portal.BuildingBlocks.Auditing;
using Portal.Invitations.Sessions;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Invitations;

/// <summary>
/// Sessions as a health-data system needs them: an idle timeout enforced on the server (15 minutes for staff, 30 for
/// clients), a "stay signed in" that extends it while the status question does not, and a list of one's own
/// sessions where any other one can be ended (another person's is not found).
/// </summary>
public sealed class SessionTests(PortalFixture fixture) : PortalTest(fixture)
{
    private const string AndroidChrome =
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
    private const string StatusUrl = "/api/account/session";
    private const string StayUrl = "/api/account/session/stay-signed-in";
    private const string WindowsFirefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

    [Fact]
    public async Task A_staff_session_ends_after_15_idle_minutes_and_says_so_on_the_sign_in_page()
    {
        var provider = await Host.NewProviderAsync();
        Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        var page = await GetAsync(provider.Cookie, "/console/clients", 302);
        var location = page.Context.Response.Headers.Location.ToString();
        location.ShouldContain("/signin");
        location.ShouldContain("idle=900");
        await GetAsync(provider.Cookie, "/api/account/me", 401);
        var signIn = await Host.Scenario(s => s.Get.Url("/signin?idle=900"));
        (await signIn.ReadAsTextAsync()).ShouldContain("You were signed out after 15 minutes without activity.");

        await using var session = OpenSession();
        var ended = await session.Query<SignInSession>().SingleAsync(r => r.Role == "provider");
        ended.EndReason.ShouldBe("idle-timeout");
        (await session.Query<AuditEntry>().AnyAsync(a => a.Action == "account.sign-out" && a.Outcome == "idle-timeout")).ShouldBeTrue();
    }

    [Fact]
    public async Task A_client_session_stays_open_for_30_idle_minutes_and_activity_moves_the_limit()
    {
        var client = await Host.NewClientWithAccountAsync(await Host.NewProviderAsync());
        Clock.Advance(TimeSpan.FromMinutes(29));
        await GetAsync(client.Cookie!, "/api/account/me", 200);
        Clock.Advance(TimeSpan.FromMinutes(29));
        await GetAsync(client.Cookie!, "/api/account/me", 200);

        Clock.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1));
        await GetAsync(client.Cookie!, "/api/account/me", 401);
    }

    [Fact]
    public async Task Last_seen_is_written_at_most_once_a_minute()
    {
        var provider = await Host.NewProviderAsync();
        var started = (await ProviderSessionsAsync()).Single().LastSeenAt;

        Clock.Advance(TimeSpan.FromSeconds(30));
        await GetAsync(provider.Cookie, "/api/account/me", 200);
        (await ProviderSessionsAsync()).Single().LastSeenAt.ShouldBe(started);

        Clock.Advance(TimeSpan.FromSeconds(31));
        await GetAsync(provider.Cookie, "/api/account/me", 200);
        (await ProviderSessionsAsync()).Single().LastSeenAt!.Value.ShouldBe(Clock.GetUtcNow(), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Asking_how_long_is_left_does_not_extend_the_session()
    {
        var provider = await Host.NewProviderAsync();
        Clock.Advance(TimeSpan.FromMinutes(10));

        var status = await GetAsync(provider.Cookie, StatusUrl, 200);
        var left = (await status.ReadAsJsonAsync<TimeLeftBody>())!;
        left.SecondsLeft.ShouldBe(300);
        left.IdleTimeoutSeconds.ShouldBe(900);
        left.WarningSeconds.ShouldBe(60);

        Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        await GetAsync(provider.Cookie, StatusUrl, 401);
        await GetAsync(provider.Cookie, "/api/account/me", 401);
    }

    [Fact]
    public async Task Stay_signed_in_extends_the_session_and_needs_the_antiforgery_token()
    {
        var provider = await Host.NewProviderAsync();
        var page = await Host.OpenPageAsync(provider, "/console/clients");
        page.Html.ShouldContain("id=\"session-timeout\"");
        page.Html.ShouldContain("Stay signed in");
        Clock.Advance(TimeSpan.FromMinutes(14));

        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.FormData(new Dictionary<string, string>()).ToUrl(StayUrl);
            s.StatusCodeShouldBe(400);
        });
        var stayed = await Host.Scenario(s => s.PostForm(provider, page, StayUrl, "", []));
        stayed.Context.Response.StatusCode.ShouldBe(200);
        (await stayed.ReadAsJsonAsync<TimeLeftBody>())!.SecondsLeft.ShouldBe(900);

        Clock.Advance(TimeSpan.FromMinutes(14));
        await GetAsync(provider.Cookie, StatusUrl, 200);
        Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await GetAsync(provider.Cookie, "/api/account/me", 401);
    }

    [Fact]
    public async Task Stay_signed_in_cannot_pass_the_12_hour_lifetime()
    {
        var provider = await Host.NewProviderAsync();
        var page = await Host.OpenPageAsync(provider, "/console/clients");
        // Every 10 minutes (inside the 15-minute idle limit) for 11 hours 50 minutes: still signed in.
        for (var i = 0; i < 12 * 6 - 1; i++)
        {
            Clock.Advance(TimeSpan.FromMinutes(10));
            (await StaySignedInAsync(provider, page)).ShouldBe(200);
        }

        Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        (await StaySignedInAsync(provider, page)).ShouldBe(401);
        await GetAsync(provider.Cookie, "/api/account/me", 401);
    }

    [Fact]
    public async Task The_sessions_list_shows_each_device_its_address_and_this_device()
    {
        var provider = await Host.NewProviderAsync();
        var phone = await SignInFromAsync(provider.Email, AndroidChrome, "192.168.1.20");
        var laptop = await SignInFromAsync(provider.Email, WindowsFirefox, "203.0.113.9");

        var listed = await ListAsync(phone);
        listed.Count.ShouldBe(3);
        listed[0].ThisDevice.ShouldBeTrue();
        listed[0].Device.ShouldBe("Chrome on Android");
        listed[0].IpAddress.ShouldBe("192.168.1.20");
        listed[0].Place.ShouldBe("local network");
        var windows = listed.Single(s => s.Device == "Firefox on Windows");
        windows.ThisDevice.ShouldBeFalse();
        windows.IpAddress.ShouldBe("203.0.113.9");
        windows.Place.ShouldBe("unknown place");
        (await ListAsync(laptop)).Single(s => s.ThisDevice).Device.ShouldBe("Firefox on Windows");

        var html = await (await GetAsync(phone, "/console/account/sessions", 200)).ReadAsTextAsync();
        html.ShouldContain("Chrome on Android");
        html.ShouldContain("Firefox on Windows");
        html.ShouldContain("203.0.113.9, unknown place");
        html.ShouldContain("This device");
        html.ShouldContain("Sign out everywhere else");
    }

    [Fact]
    public async Task Ending_another_devices_session_refuses_its_cookie_and_is_audited()
    {
        var provider = await Host.NewProviderAsync();
        var laptop = await SignInFromAsync(provider.Email, WindowsFirefox, "203.0.113.9");
        var other = (await ListAsync(provider.Cookie)).Single(s => !s.ThisDevice);

        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Delete.Url($"/api/account/sessions/{other.Id}");
            s.StatusCodeShouldBe(204);
        });

        await GetAsync(laptop, "/api/account/me", 401);
        await GetAsync(provider.Cookie, "/api/account/me", 200);
        (await ListAsync(provider.Cookie)).ShouldHaveSingleItem().ThisDevice.ShouldBeTrue();
        await using var session = OpenSession();
        var audit = await session.Query<AuditEntry>().SingleAsync(a => a.Action == "account.session-ended");
        audit.RecordId.ShouldBe(other.Id.ToString());
        audit.ActorRole.ShouldBe("provider");
    }

    [Fact]
    public async Task The_sessions_page_signs_out_another_session_with_its_form()
    {
        var client = await Host.NewClientWithAccountAsync(await Host.NewProviderAsync());
        var phone = await SignInFromAsync(client.Email, AndroidChrome, "10.0.0.5");
        var page = await Host.OpenPageAsync(client, "/portal/account/sessions");
        var other = (await ListAsync(client.Cookie!)).Single(s => !s.ThisDevice);

        var posted = await Host.Scenario(s =>
            s.PostForm(client, page, "/portal/account/sessions", "End", [], query: $"id={other.Id}"));
        posted.Context.Response.StatusCode.ShouldBe(200);
        (await posted.ReadAsTextAsync()).ShouldContain("That session is signed out.");
        await GetAsync(phone, "/api/account/me", 401);
        await GetAsync(client.Cookie!, "/portal", 200);
    }

    [Fact]
    public async Task Another_persons_session_is_not_found_and_stays_open()
    {
        var provider = await Host.NewProviderAsync();
        var stranger = await Host.NewProviderAsync(support: provider.Support);
        var theirs = (await ListAsync(stranger.Cookie)).Single();

        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Delete.Url($"/api/account/sessions/{theirs.Id}");
            s.StatusCodeShouldBe(404);
        });
        var page = await Host.OpenPageAsync(provider, "/console/account/sessions");
        page.Html.ShouldNotContain(theirs.Id.ToString());
        var posted = await Host.Scenario(s =>
            s.PostForm(provider, page, "/console/account/sessions", "End", [], query: $"id={theirs.Id}"));
        posted.Context.Response.StatusCode.ShouldBe(404);

        await GetAsync(stranger.Cookie, "/api/account/me", 200);
    }

    [Fact]
    public async Task Sign_out_everywhere_else_keeps_only_this_session()
    {
        var support = await Host.NewSupportAsync();
        var phone = await SignInFromAsync(support.Email, AndroidChrome, "192.168.1.20");
        var laptop = await SignInFromAsync(support.Email, WindowsFirefox, "203.0.113.9");

        var ended = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", phone);
            s.Post.Url("/api/account/sessions/sign-out-others");
            s.StatusCodeShouldBe(200);
        });
        (await ended.ReadAsJsonAsync<EndedBody>())!.Ended.ShouldBe(2);

        await GetAsync(support.Cookie, "/api/account/me", 401);
        await GetAsync(laptop, "/api/account/me", 401);
        await GetAsync(phone, "/support/account/sessions", 200);
    }

    private async Task<string> SignInFromAsync(string email, string userAgent, string address)
    {
        var code = await SecondFactors.CodeAsync(Host.Services, email);
        var result = await Host.Scenario(s =>
        {
            s.WithRequestHeader("User-Agent", userAgent);
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse(address));
            s.Post.Json(new { email, password = Actors.DefaultPassword, code }).ToUrl("/api/account/sign-in");
            s.StatusCodeShouldBeOk();
        });
        return Actors.SessionCookie(result)!;
    }

    /// <summary>"Stay signed in" as the dialog's form posts it; the status code (PostForm leaves it unchecked).</summary>
    private async Task<int> StaySignedInAsync(ISignedIn who, OpenedPage page) =>
        (await Host.Scenario(s => s.PostForm(who, page, StayUrl, "", []))).Context.Response.StatusCode;

    private async Task<List<SessionBody>> ListAsync(string cookie) =>
        (await (await GetAsync(cookie, "/api/account/sessions", 200)).ReadAsJsonAsync<List<SessionBody>>())!;

    private async Task<IReadOnlyList<SignInSession>> ProviderSessionsAsync()
    {
        await using var session = OpenSession();
        return await session.Query<SignInSession>().Where(s => s.Role == "provider").ToListAsync();
    }

    private Task<IScenarioResult> GetAsync(string cookie, string url, int status) => Host.Scenario(s =>
    {
        s.WithRequestHeader("Cookie", cookie);
        s.Get.Url(url);
        s.StatusCodeShouldBe(status);
    });

    private sealed record TimeLeftBody(int SecondsLeft, int IdleTimeoutSeconds, int WarningSeconds);

    private sealed record SessionBody(Guid Id, string Device, string? IpAddress, string Place, DateTimeOffset StartedAt,
        DateTimeOffset LastSeenAt, bool ThisDevice);

    private sealed record EndedBody(int Ended);
}

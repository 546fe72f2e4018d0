using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Alba;
using Portal.BuildingBlocks.Time;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Practice;

/// <summary>
/// The practice's own look (display name, accent colour, logo checked by content) and time as people read it: in the
/// reader's zone (their own, else the practice's), one format per kind, never UTC or ISO text.
/// </summary>
public sealed partial class PracticeLookTests(PortalFixture fixture) : PortalTest(fixture)
{
    private static readonly TimeZoneInfo LosAngeles = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public async Task The_owner_sets_name_zone_and_colour_and_the_client_portal_wears_them()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(owner);

        var saved = await PutLookAsync(owner, new { displayName = "Lakeside Therapy", timeZone = "America/Los_Angeles", accentColor = "#7A1F5C" });
        saved.StatusCode.ShouldBe(200);

        var home = await Host.GetAsText("/portal", client);
        home.ShouldContain("Lakeside Therapy");
        home.ShouldContain($"/practice-looks/{owner.PracticeId}/accent/7a1f5c");
        var css = await Host.Scenario(s =>
        {
            s.Get.Url($"/practice-looks/{owner.PracticeId}/accent/7a1f5c");
            s.StatusCodeShouldBeOk();
        });
        css.Context.Response.ContentType.ShouldNotBeNull().ShouldStartWith("text/css");
        css.Context.Response.Headers.CacheControl.ToString().ShouldContain("immutable");
        (await css.ReadAsTextAsync()).ShouldContain("--accent: #7a1f5c");

        // A visitor who came by the practice's link sees its name on the sign-in page, and keeps it on the next page.
        var signIn = await Host.Scenario(s =>
        {
            s.Get.Url($"/signin?practice={owner.PracticeId}");
            s.StatusCodeShouldBeOk();
        });
        (await signIn.ReadAsTextAsync()).ShouldContain("Lakeside Therapy");
        var remembered = signIn.Context.Response.Headers.SetCookie.Select(c => c!.Split(';')[0]).Single(c => c.StartsWith("portal.practice="));
        var forgot = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", remembered);
            s.Get.Url("/forgot-password");
            s.StatusCodeShouldBeOk();
        });
        (await forgot.ReadAsTextAsync()).ShouldContain("Lakeside Therapy");
    }

    [Theory]
    [InlineData("#ffff00", "accentColor")]
    [InlineData("#7fb3d5", "accentColor")]
    [InlineData("red", "accentColor")]
    [InlineData("#12345", "accentColor")]
    public async Task An_accent_colour_that_white_text_cannot_be_read_on_or_that_is_not_hex_is_refused(string colour, string field)
    {
        var owner = await Host.NewProviderAsync();
        var refused = await PutLookAsync(owner, new { displayName = "Lakeside", timeZone = "America/Chicago", accentColor = colour });
        refused.StatusCode.ShouldBe(400);
        refused.Body.ShouldContain(field);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("UTC")]
    [InlineData("Etc/UTC")]
    [InlineData("")]
    public async Task A_time_zone_not_on_the_list_is_refused(string zone)
    {
        var owner = await Host.NewProviderAsync();
        var refused = await PutLookAsync(owner, new { displayName = "Lakeside", timeZone = zone, accentColor = "#1f5f8b" });
        refused.StatusCode.ShouldBe(400);
        refused.Body.ShouldContain("timeZone");
    }

    [Fact]
    public async Task Only_the_owner_changes_the_look()
    {
        var owner = await Host.NewProviderAsync();
        foreach (var role in new[] { Contracts.StaffRole.Clinician, Contracts.StaffRole.FrontDesk, Contracts.StaffRole.Biller })
        {
            var member = await Host.NewMemberAsync(owner, role);
            (await PutLookAsync(member, new { displayName = "Mine", timeZone = "America/Chicago", accentColor = "#1f5f8b" }))
                .StatusCode.ShouldBe(403);
            (await UploadLogoAsync(member, Png(), "logo.png", "image/png")).StatusCode.ShouldBe(403);
        }
    }

    [Fact]
    public async Task A_PNG_or_a_plain_SVG_logo_is_served_from_the_portal_with_its_type_and_a_long_cache()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(owner);

        var png = await UploadLogoAsync(owner, Png(), "logo.bin", "application/octet-stream");
        png.StatusCode.ShouldBe(200);
        var pngPath = LogoPath().Match(png.Body).Groups[1].Value;
        pngPath.ShouldStartWith($"/practice-looks/{owner.PracticeId}/logo/");
        var served = await Host.Scenario(s => { s.Get.Url(pngPath); s.StatusCodeShouldBeOk(); });
        served.Context.Response.ContentType.ShouldBe("image/png");
        served.Context.Response.Headers.CacheControl.ToString().ShouldContain("max-age=31536000");
        (await Host.GetAsText("/portal", client)).ShouldContain($"src=\"{pngPath}\"");

        const string svg = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g"/></defs><rect width="10" height="10" fill="url(#g)"/><text x="1" y="8">L</text></svg>""";
        var plain = await UploadLogoAsync(owner, Encoding.UTF8.GetBytes(svg), "logo.svg", "image/svg+xml");
        plain.StatusCode.ShouldBe(200);
        var svgPath = LogoPath().Match(plain.Body).Groups[1].Value;
        var servedSvg = await Host.Scenario(s => { s.Get.Url(svgPath); s.StatusCodeShouldBeOk(); });
        servedSvg.Context.Response.ContentType.ShouldBe("image/svg+xml");
        servedSvg.Context.Response.Headers.ContentSecurityPolicy.ToString().ShouldContain("script-src 'self'");
        // The old logo's address no longer answers: a cached copy is the only one left.
        await Host.Scenario(s => { s.Get.Url(pngPath); s.StatusCodeShouldBe(404); });
    }

    [Theory]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>""")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>""")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1" onclick="x()"/></svg>""")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="https://evil.example/x.png"/></svg>""")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>""")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/a.css);</style></svg>""")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://evil.example/p)"/></svg>""")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>""")]
    [InlineData("""<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>""")]
    [InlineData("""<html><body>not an image</body></html>""")]
    [InlineData("GIF89a not a png")]
    public async Task A_logo_with_scripts_handlers_or_outside_references_or_that_is_no_image_is_refused_naming_the_field(string content)
    {
        var owner = await Host.NewProviderAsync();
        var refused = await UploadLogoAsync(owner, Encoding.UTF8.GetBytes(content), "logo.svg", "image/svg+xml");
        refused.StatusCode.ShouldBe(400);
        refused.Body.ShouldContain("\"logo\"");
    }

    [Fact]
    public async Task A_logo_over_512_KB_is_refused()
    {
        var owner = await Host.NewProviderAsync();
        var big = Png().Concat(new byte[512 * 1024]).ToArray();
        var refused = await UploadLogoAsync(owner, big, "logo.png", "image/png");
        refused.StatusCode.ShouldBe(400);
        refused.Body.ShouldContain("512 KB");
    }

    [Fact]
    public async Task A_practice_in_Los_Angeles_reads_its_times_shifted_there_and_a_person_may_choose_their_own_zone()
    {
        var owner = await Host.NewProviderAsync();
        await PutLookAsync(owner, new { displayName = "Pacific Counseling", timeZone = "America/Los_Angeles", accentColor = "#1f5f8b" });
        var client = await Host.NewClientWithAccountAsync(owner);
        var signedInAt = Clock.GetUtcNow();

        // The client's sessions page shows when this session started: in Los Angeles time, as one format.
        var sessions = Visible(await Host.GetAsText("/portal/account/sessions", client));
        sessions.ShouldContain(PortalTime.DateTime(signedInAt, LosAngeles));
        sessions.ShouldMatch(@"\d{1,2}:\d\d [AP]M P[SD]T");
        sessions.ShouldNotContain(PortalTime.DateTime(signedInAt, PortalTime.DefaultZone));

        // The owner's members page shows the same practice zone.
        var members = Visible(await Host.GetAsText("/console/practice/members", owner));
        members.ShouldMatch(@"P[SD]T");

        // The client chooses Berlin: their pages follow at once; the owner's stay in the practice's zone.
        var chosen = await Host.Scenario(s =>
        {
            s.As(client);
            s.Put.Json(new { timeZone = "Europe/Berlin" }).ToUrl("/api/account/time-zone");
            s.StatusCodeShouldBeOk();
        });
        (await chosen.ReadAsTextAsync()).ShouldContain("Europe/Berlin");
        Visible(await Host.GetAsText("/portal/account/sessions", client)).ShouldContain(PortalTime.DateTime(signedInAt, Berlin));
        Visible(await Host.GetAsText("/console/practice/members", owner)).ShouldMatch(@"P[SD]T");

        await Host.Scenario(s =>
        {
            s.As(client);
            s.Put.Json(new { timeZone = "Moon/Base" }).ToUrl("/api/account/time-zone");
            s.StatusCodeShouldBe(400);
        });
    }

    [Fact]
    public async Task Emails_show_times_in_the_practice_zone_and_wear_its_name_colour_and_logo()
    {
        var owner = await Host.NewProviderAsync();
        await PutLookAsync(owner, new { displayName = "Pacific Counseling", timeZone = "America/Los_Angeles", accentColor = "#7a1f5c" });
        await UploadLogoAsync(owner, Png(), "logo.png", "image/png");
        var client = await Host.AddClientAsync(owner);
        Mail.Clear();

        await Host.SendInvitationAsync(owner, client.ClientId);

        var email = (await Mail.WaitForAsync()).Single(m => m.To.Mailboxes.Any(x => x.Address == client.Email));
        email.Subject.ShouldBe("Pacific Counseling invited you to your client portal");
        var expires = Clock.GetUtcNow() + TimeSpan.FromDays(5);
        var text = email.TextBody.ShouldNotBeNull();
        var html = email.HtmlBody.ShouldNotBeNull();
        text.ShouldContain($"expires on {PortalTime.DateTime(expires, LosAngeles)}");
        html.ShouldContain("background:#7a1f5c");
        html.ShouldContain($"/practice-looks/{owner.PracticeId}/logo/");
        // The link opens sign-in pages that wear the practice's look.
        text.ShouldContain($"practice={owner.PracticeId}");
        NoMachineTime(text, "invitation text");
        NoMachineTime(Visible(html), "invitation HTML");
    }

    [Fact]
    public async Task The_main_pages_and_emails_of_every_role_show_no_UTC_no_ISO_time_and_no_portal_portal_wording()
    {
        var owner = await Host.NewProviderAsync();
        Mail.Clear();
        var client = await Host.NewClientWithAccountAsync(owner, "Robin", "Reader");
        var frontDesk = await Host.NewMemberAsync(owner, Contracts.StaffRole.FrontDesk);
        var biller = await Host.NewMemberAsync(owner, Contracts.StaffRole.Biller);
        var clinician = await Host.NewMemberAsync(owner, Contracts.StaffRole.Clinician);
        // A locked account (its "until" is shown to the practice and to support) and an email about it.
        var locked = await Host.NewClientWithAccountAsync(owner, "Lee", "Locked");
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await Host.Scenario(s =>
            {
                s.Post.Json(new { email = locked.Email, password = "wrong-password-here" }).ToUrl("/api/account/sign-in");
                s.IgnoreStatusCode();
            });
        }
        // A password reset email for the support account (no practice: the default wording must still read well).
        await Host.Scenario(s =>
        {
            s.Post.Json(new { email = owner.Support.Email }).ToUrl("/api/account/password-reset");
            s.IgnoreStatusCode();
        });

        var pages = new (ISignedIn Who, string Url)[]
        {
            (owner, "/console"), (owner, "/console/clients"), (owner, $"/console/clients/{client.ClientId}"),
            (owner, $"/console/clients/{locked.ClientId}"), (owner, "/console/notifications"), (owner, "/console/practice/members"),
            (owner, "/console/practice/settings"), (owner, "/console/account/sessions"), (owner, "/account/time-zone"),
            (clinician, "/console"), (clinician, "/console/clients"),
            (frontDesk, "/console"), (frontDesk, "/console/clients"), (frontDesk, $"/console/clients/{client.ClientId}"),
            (biller, "/console"), (biller, "/console/clients"), (biller, $"/console/clients/{client.ClientId}"),
            (client, "/portal"), (client, "/portal/tasks"), (client, "/portal/account"), (client, "/portal/account/sessions"),
            (client, "/portal/insurance"), (client, "/portal/autopay"), (client, "/account/time-zone"),
            (owner.Support, "/support"), (owner.Support, "/support/accounts"), (owner.Support, "/support/deliveries"),
            (owner.Support, "/support/audit"), (owner.Support, "/support/health"), (owner.Support, "/support/account/sessions"),
            (owner.Support, $"/console/clients/{client.ClientId}"),
        };
        var failures = new List<string>();
        foreach (var (who, url) in pages)
        {
            var result = await Host.Scenario(s =>
            {
                s.As(who);
                s.Get.Url(url);
                s.IgnoreStatusCode();
            });
            if (result.Context.Response.StatusCode != 200)
            {
                failures.Add($"{url} -> {result.Context.Response.StatusCode}");
                continue;
            }
            failures.AddRange(Problems(Visible(await result.ReadAsTextAsync()), url));
        }

        await Mail.WaitForAsync();
        var emails = Mail.Messages;
        emails.Count.ShouldBeGreaterThan(3);
        foreach (var email in emails)
        {
            var what = $"email '{email.Subject}'";
            failures.AddRange(Problems(email.Subject ?? string.Empty, what));
            failures.AddRange(Problems(email.TextBody ?? string.Empty, what));
            failures.AddRange(Problems(Visible(email.HtmlBody ?? string.Empty), what));
        }
        failures.ShouldBeEmpty();
    }

    private static IEnumerable<string> Problems(string text, string where)
    {
        if (text.Contains("UTC", StringComparison.Ordinal)) yield return $"{where} says UTC: {Around(text, text.IndexOf("UTC", StringComparison.Ordinal))}";
        if (text.Contains("+00:00", StringComparison.Ordinal)) yield return $"{where} shows +00:00";
        if (IsoTime().Match(text) is { Success: true } iso) yield return $"{where} shows an ISO time: {iso.Value}";
        if (IsoDate().Match(text) is { Success: true } day) yield return $"{where} shows an ISO date: {day.Value}";
        if (text.Contains("portal portal", StringComparison.OrdinalIgnoreCase)) yield return $"{where} says 'portal portal'";
    }

    private static void NoMachineTime(string text, string where) => Problems(text, where).ShouldBeEmpty();

    private static string Around(string text, int at) => text.Substring(Math.Max(0, at - 60), Math.Min(120, text.Length - Math.Max(0, at - 60)));

    /// <summary>What a person reads: the text between tags (attributes such as datetime="…" are for machines), decoded.</summary>
    private static string Visible(string html) =>
        WebUtility.HtmlDecode(Whitespace().Replace(Tags().Replace(Scripts().Replace(html, " "), " "), " "));

    private async Task<(int StatusCode, string Body)> PutLookAsync(ISignedIn who, object look)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(who);
            s.Put.Json(look).ToUrl("/api/console/practice/look");
            s.IgnoreStatusCode();
        });
        return (result.Context.Response.StatusCode, await result.ReadAsTextAsync());
    }

    private async Task<(int StatusCode, string Body)> UploadLogoAsync(ISignedIn who, byte[] content, string fileName, string contentType)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        form.Add(file, "logo", fileName);
        var result = await Host.Scenario(s =>
        {
            s.As(who);
            s.Post.MultipartFormData(form).ToUrl("/api/console/practice/logo");
            s.IgnoreStatusCode();
        });
        return (result.Context.Response.StatusCode, await result.ReadAsTextAsync());
    }

    /// <summary>A 1x1 PNG.</summary>
    private static byte[] Png() => Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    [GeneratedRegex("\"logoPath\":\"([^\"]+)\"")]
    private static partial Regex LogoPath();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")]
    private static partial Regex IsoTime();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}\b")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"<(script|style)[^>]*>.*?</\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Scripts();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

using System.Text.Json;
using Alba;
using Marten;
using Portal.BuildingBlocks.Auditing;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>
/// Strong sign-in for staff: no client data before a proved second factor (every staff role, API and pages), the
/// enrolment that proves the session and shows recovery codes once, step-up for sensitive actions after ten minutes,
/// support's audited reset, and the practice's rule that turns the gate on for clients.
/// </summary>
public sealed class SecondFactorTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task Every_staff_role_signed_in_with_a_password_alone_is_refused_client_data_until_it_enrols()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(owner);
        var people = new List<(string Who, string Email)>();
        foreach (var role in new[] { StaffRole.Owner, StaffRole.Clinician, StaffRole.FrontDesk, StaffRole.Biller })
            people.Add((role.ToString(), await NewMemberWithoutFactorAsync(owner, role)));
        var supportEmail = $"support-{Guid.NewGuid():N}@portal.test";
        await using (var session = OpenSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, supportEmail, Actors.DefaultPassword, "Sue Support", Clock);
        people.Add(("support", supportEmail));
        // The clinician must be on the client's team for the answer after enrolment to be the record itself.
        var clinicianId = await ProviderIdOfAsync(people[1].Email);
        await Send(owner, HttpMethod.Post, $"/api/console/clients/{client.ClientId}/care-team", new { memberId = clinicianId }, null);

        foreach (var (who, email) in people)
        {
            var signIn = await Host.Scenario(s =>
            {
                s.Post.Json(new { email, password = Actors.DefaultPassword }).ToUrl("/api/account/sign-in");
                s.StatusCodeShouldBeOk();
            });
            var answer = await Json(signIn);
            answer.GetProperty("secondFactorRequired").GetBoolean().ShouldBeTrue(who);
            answer.GetProperty("redirectTo").GetString()!.ShouldStartWith("/account/second-factor?returnUrl=", Case.Sensitive, who);
            var cookie = Actors.SessionCookie(signIn)!;

            // The API says what to do; the page sends the person to enrol and back.
            var refused = await Get(cookie, $"/api/console/clients/{client.ClientId}", 403);
            refused.GetProperty("secondFactorRequired").GetBoolean().ShouldBeTrue(who);
            refused.GetProperty("enrolUrl").GetString().ShouldBe("/account/second-factor");
            var page = await Host.Scenario(s =>
            {
                s.WithRequestHeader("Cookie", cookie);
                s.Get.Url($"/console/clients/{client.ClientId}");
                s.StatusCodeShouldBe(302);
            });
            page.Context.Response.Headers.Location.ToString()
                .ShouldBe($"/account/second-factor?returnUrl=%2Fconsole%2Fclients%2F{client.ClientId}", who);
            (await Get(cookie, "/api/console/caseload", 403)).GetProperty("secondFactorRequired").GetBoolean().ShouldBeTrue(who);

            // Who am I, and the enrolment page itself, stay open.
            await Get(cookie, "/api/account/me", 200);
            await Host.Scenario(s =>
            {
                s.WithRequestHeader("Cookie", cookie);
                s.Get.Url("/account/second-factor");
                s.StatusCodeShouldBeOk();
                s.ContentShouldContain("Set up an authenticator app");
            });

            // Enrolling proves this session: the same session now opens the record.
            var proved = await Host.EnrolSecondFactorAsync(email, cookie);
            (await Get(proved, $"/api/console/clients/{client.ClientId}", 200)).GetProperty("lastName").GetString().ShouldBe("Client", who);
        }
    }

    [Fact]
    public async Task An_enrolment_shows_ten_single_use_recovery_codes_once_and_they_can_be_renewed()
    {
        var owner = await Host.NewProviderAsync();
        var email = await NewMemberWithoutFactorAsync(owner, StaffRole.Clinician);
        var cookie = await Host.SignInWithPasswordOnlyAsync(email);
        var setup = await Post(cookie, "/api/account/authenticator", null, 200);
        var secret = setup.GetProperty("secret").GetString()!;
        var confirmed = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", cookie);
            s.Post.Json(new { code = SecondFactors.EnrolmentCode(Host.Services, secret) }).ToUrl("/api/account/authenticator/confirm");
            s.StatusCodeShouldBeOk();
        });
        var codes = (await Json(confirmed)).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        codes.Count.ShouldBe(10);
        codes.Distinct().Count().ShouldBe(10);
        cookie = Actors.SessionCookie(confirmed)!;
        await using (var session = OpenSession())
        {
            var account = await session.Query<Portal.Invitations.Accounts.Account>().SingleAsync(a => a.Email == email);
            account.RecoveryCodeHashes.Count.ShouldBe(10);
            account.RecoveryCodeHashes.ShouldNotContain(codes[0].Replace("-", string.Empty));
        }

        // A recovery code proves the factor once.
        await Post(cookie, "/api/account/step-up", new { code = codes[0] }, 200);
        (await Post(cookie, "/api/account/step-up", new { code = codes[0] }, 400)).GetProperty("errors").TryGetProperty("code", out _)
            .ShouldBeTrue();

        // New codes replace the old ones.
        var renewed = (await Post(cookie, "/api/account/recovery-codes", null, 200))
            .GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        renewed.Count.ShouldBe(10);
        renewed.Intersect(codes).ShouldBeEmpty();
        await Post(cookie, "/api/account/step-up", new { code = codes[1] }, 400);
        await Post(cookie, "/api/account/step-up", new { code = renewed[0] }, 200);
    }

    [Fact]
    public async Task Exporting_a_record_asks_for_the_second_factor_again_after_ten_minutes_and_a_code_renews_it()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(owner);
        var export = $"/api/console/clients/{client.ClientId}/export";
        await Host.Scenario(s =>
        {
            s.As(owner);
            s.Get.Url(export);
            s.StatusCodeShouldBeOk();
        });

        Clock.Advance(TimeSpan.FromMinutes(11));
        var asked = await Get(owner.Cookie, export, 403);
        asked.GetProperty("stepUpRequired").GetBoolean().ShouldBeTrue();
        asked.GetProperty("stepUpUrl").GetString().ShouldBe("/api/account/step-up");
        // Reads of client data stay open: only the sensitive action asks again.
        await Get(owner.Cookie, $"/api/console/clients/{client.ClientId}", 200);

        (await Post(owner.Cookie, "/api/account/step-up", new { code = "000000" }, 400)).GetProperty("errors")
            .GetProperty("code")[0].GetString().ShouldNotBeNullOrEmpty();
        (await Post(owner.Cookie, "/api/account/step-up", new { }, 400)).GetProperty("errors").TryGetProperty("code", out _).ShouldBeTrue();
        var stepUp = await Host.Scenario(s =>
        {
            s.As(owner);
            s.Post.Json(new { code = SecondFactors.CodeAsync(Host.Services, owner.Email).GetAwaiter().GetResult() }).ToUrl("/api/account/step-up");
            s.StatusCodeShouldBeOk();
        });
        var renewed = Actors.SessionCookie(stepUp).ShouldNotBeNull();
        await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", renewed);
            s.Get.Url(export);
            s.StatusCodeShouldBeOk();
        });
        await using var session = OpenSession();
        (await session.Query<AuditEntry>().CountAsync(e => e.Action == "account.step-up" && e.Outcome == "success")).ShouldBe(1);
        (await session.Query<AuditEntry>().CountAsync(e => e.Action == "account.step-up" && e.Outcome == "failed")).ShouldBe(1);
    }

    [Fact]
    public async Task Break_glass_and_approving_an_email_change_ask_for_the_factor_again_after_ten_minutes()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(owner);
        var support = owner.Support;
        var asked = await Send(client, HttpMethod.Post, "/api/portal/email-change", new { newEmail = $"new-{Guid.NewGuid():N}@portal.test" }, 202);
        var requestId = asked.GetProperty("requestId").GetGuid();

        Clock.Advance(TimeSpan.FromMinutes(11));
        (await Send(support, HttpMethod.Post, $"/api/support/clients/{client.ClientId}/health-access", new { reason = "Client asked by phone" }, 403))
            .GetProperty("stepUpRequired").GetBoolean().ShouldBeTrue();
        (await Send(owner, HttpMethod.Post, $"/api/console/email-changes/{requestId}/approve", null, 403))
            .GetProperty("stepUpRequired").GetBoolean().ShouldBeTrue();

        support = support with { Cookie = await StepUpAsync(support.Cookie, support.Email) };
        owner = owner with { Cookie = await StepUpAsync(owner.Cookie, owner.Email) };
        await Send(support, HttpMethod.Post, $"/api/support/clients/{client.ClientId}/health-access", new { reason = "Client asked by phone" }, 201);
        await Send(owner, HttpMethod.Post, $"/api/console/email-changes/{requestId}/approve", null, 204);
    }

    [Fact]
    public async Task Support_resets_a_clinicians_factors_only_with_a_recorded_identity_check_and_the_clinician_enrols_again()
    {
        var owner = await Host.NewProviderAsync();
        var clinician = await Host.NewMemberAsync(owner, StaffRole.Clinician);
        var support = owner.Support;
        const string url = "/api/support/second-factor-resets";

        var invalid = await Send(support, HttpMethod.Post, url, new { email = clinician.Email }, 400);
        invalid.GetProperty("errors").TryGetProperty("method", out _).ShouldBeTrue();
        invalid.GetProperty("errors").TryGetProperty("verification", out _).ShouldBeTrue();
        await Send(support, HttpMethod.Post, url, new { email = clinician.Email, method = "VideoCallWithPhotoId", verification = "ok" }, 400);
        await Send(owner, HttpMethod.Post, url,
            new { email = clinician.Email, method = "VideoCallWithPhotoId", verification = "Video call, driving licence matched" }, 403);
        await Send(support, HttpMethod.Post, url,
            new { email = "nobody-here@portal.test", method = "VideoCallWithPhotoId", verification = "Video call, driving licence matched" }, 404);

        var done = await Send(support, HttpMethod.Post, url,
            new { email = clinician.Email, method = "VideoCallWithPhotoId", verification = "Video call, driving licence matched" }, 200);
        done.GetProperty("mustEnrolAgain").GetBoolean().ShouldBeTrue();
        done.GetProperty("sessionsEnded").GetInt32().ShouldBe(1);

        // The clinician's session ended; the reset is audited with how identity was checked; the clinician is emailed.
        await Get(clinician.Cookie, "/api/account/me", 401);
        await using (var session = OpenSession())
        {
            var entry = await session.Query<AuditEntry>().SingleAsync(e => e.Action == "account.second-factors-reset");
            entry.ActorId.ShouldBe(support.UserId);
            entry.Outcome!.ShouldContain("method: VideoCallWithPhotoId");
            entry.Outcome!.ShouldContain("verified: Video call, driving licence matched");
            entry.Outcome!.ShouldContain("authenticator");
            var account = await session.Query<Portal.Invitations.Accounts.Account>().SingleAsync(a => a.Email == clinician.Email);
            account.TotpEnabled.ShouldBeFalse();
            account.RecoveryCodeHashes.ShouldBeEmpty();
            account.ProtectedTotpSecret.ShouldBeNull();
        }
        var mail = (await Mail.WaitForAsync()).Single(m => m.To.ToString().Contains(clinician.Email, StringComparison.OrdinalIgnoreCase));
        (mail.Subject ?? string.Empty).ShouldContain("second factors");
        (mail.TextBody ?? string.Empty).ShouldContain("set up an authenticator app or a passkey again");
        (mail.TextBody ?? string.Empty).ShouldNotContain("driving licence");

        // The password alone signs in again, and the gate holds the session until the clinician enrols.
        var signIn = await Host.Scenario(s =>
        {
            s.Post.Json(new { email = clinician.Email, password = clinician.Password }).ToUrl("/api/account/sign-in");
            s.StatusCodeShouldBeOk();
        });
        (await Json(signIn)).GetProperty("secondFactorRequired").GetBoolean().ShouldBeTrue();
        await Get(Actors.SessionCookie(signIn)!, "/api/console/caseload", 403);
    }

    [Fact]
    public async Task A_client_needs_no_second_factor_until_the_owner_requires_one_for_the_practices_clients()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(owner);
        await Get(client.Cookie!, "/api/portal/documents", 200);

        var clinician = await Host.NewMemberAsync(owner, StaffRole.Clinician);
        await Send(clinician, HttpMethod.Put, "/api/console/practice/client-sign-in", new { requireSecondFactor = true }, 403);
        (await Send(owner, HttpMethod.Put, "/api/console/practice/client-sign-in", new { requireSecondFactor = true }, 200))
            .GetProperty("requireSecondFactor").GetBoolean().ShouldBeTrue();

        var signIn = await Host.Scenario(s =>
        {
            s.Post.Json(new { email = client.Email, password = client.Password }).ToUrl("/api/account/sign-in");
            s.StatusCodeShouldBeOk();
        });
        (await Json(signIn)).GetProperty("secondFactorRequired").GetBoolean().ShouldBeTrue();
        var cookie = Actors.SessionCookie(signIn)!;
        (await Get(cookie, "/api/portal/documents", 403)).GetProperty("secondFactorRequired").GetBoolean().ShouldBeTrue();
        var proved = await Host.EnrolSecondFactorAsync(client.Email, cookie);
        await Get(proved, "/api/portal/documents", 200);
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

    /// <summary>A member of the owner's practice with a password who has never signed in (so has no second factor).</summary>
    private async Task<string> NewMemberWithoutFactorAsync(ProviderActor owner, StaffRole role)
    {
        var email = $"member-{Guid.NewGuid():N}@portal.test";
        var added = await Send(owner.Support, HttpMethod.Post, $"/api/support/practices/{owner.PracticeId}/providers",
            new { name = $"{role} Person", email, role = role.ToString() }, 201);
        var providerId = added.GetProperty("providerId").GetGuid();
        await Send(owner.Support, HttpMethod.Put, $"/api/support/providers/{providerId}/portal-access", new { enabled = true }, 200);
        await Send(owner.Support, HttpMethod.Put, $"/api/support/providers/{providerId}/password", new { password = Actors.DefaultPassword }, 204);
        return email;
    }

    private async Task<Guid> ProviderIdOfAsync(string email)
    {
        await using var session = OpenSession();
        return (await session.Query<Portal.Invitations.Accounts.Account>().SingleAsync(a => a.Email == email)).ProviderId!.Value;
    }

    private async Task<JsonElement> Send(ISignedIn actor, HttpMethod method, string url, object? body, int? status)
    {
        var (_, result) = await TrackedScenario(s =>
        {
            s.As(actor);
            if (method == HttpMethod.Put) s.Put.Json(body ?? new { }).ToUrl(url);
            else if (body is null) s.Post.Url(url);
            else s.Post.Json(body).ToUrl(url);
            if (status is { } expected) s.StatusCodeShouldBe(expected);
            else s.IgnoreStatusCode();
        });
        return await Json(result);
    }

    private async Task<JsonElement> Get(string cookie, string url, int status) => await Json(await Host.Scenario(s =>
    {
        s.WithRequestHeader("Cookie", cookie);
        s.WithRequestHeader("Accept", "application/json");
        s.Get.Url(url);
        s.StatusCodeShouldBe(status);
    }));

    private async Task<JsonElement> Post(string cookie, string url, object? body, int status) => await Json(await Host.Scenario(s =>
    {
        s.WithRequestHeader("Cookie", cookie);
        if (body is null) s.Post.Url(url);
        else s.Post.Json(body).ToUrl(url);
        s.StatusCodeShouldBe(status);
    }));

    private static async Task<JsonElement> Json(IScenarioResult result)
    {
        var text = await result.ReadAsTextAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}

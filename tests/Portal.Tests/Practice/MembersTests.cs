using System.Security.Cryptography;
using System.Text;
using Alba;
using Marten;
using Portal.BuildingBlocks.Auditing;
using Portal.Contracts;
using Portal.Invitations.Members;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Practice;

/// <summary>
/// The owner's side of a group practice: inviting members by email (the activation link's rules), role changes and
/// deactivation that end the member's sessions at once, the last active owner, and who may do any of it.
/// </summary>
public sealed class MembersTests(PortalFixture fixture) : PortalTest(fixture)
{
    private const string MemberPassword = "Copper-Meadow-Violin-58";

    [Fact]
    public async Task An_owner_invites_a_front_desk_member_who_activates_from_the_emailed_link_and_signs_in_as_front_desk()
    {
        var owner = await Host.NewProviderAsync();
        var email = $"frankie-{Guid.NewGuid():N}@portal.test";

        var (invitedAt, providerId) = await InviteAsync(owner, "Frankie Desk", email, "FrontDesk");
        var token = await TokenFromMailAsync(email);
        await using (var session = OpenSession())
        {
            var stored = (await session.Query<MemberInvitation>().Where(i => i.ProviderId == providerId).ToListAsync()).ShouldHaveSingleItem();
            stored.TokenHash.ShouldBe(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))));
            stored.ExpiresAt.ShouldBe(invitedAt.AddDays(5));
        }
        var status = await ListAsync(owner);
        status.Members.Single(m => m.ProviderId == providerId).ShouldSatisfyAllConditions(
            m => m.Status.ShouldBe("Invited"), m => m.Role.ShouldBe("FrontDesk"), m => m.RoleName.ShouldBe("Front desk"));

        var check = await Host.Scenario(s =>
        {
            s.Post.Json(new { token }).ToUrl("/api/account/member-activation/check");
            s.StatusCodeShouldBeOk();
        });
        (await check.ReadAsTextAsync()).ShouldContain("front desk staff");

        var (_, activated) = await TrackedScenario(s =>
        {
            s.Post.Json(new { token, password = MemberPassword }).ToUrl("/api/account/member-activation");
            s.StatusCodeShouldBeOk();
        });
        (await activated.ReadAsJsonAsync<ActivatedBody>())!.RedirectTo.ShouldBe("/console");
        var cookie = Actors.SessionCookie(activated).ShouldNotBeNull();
        (await MeAsync(cookie)).StaffRole.ShouldBe("FrontDesk");

        var (signedIn, _) = await Host.SignInAsync(email, MemberPassword);
        (await MeAsync(signedIn)).StaffRole.ShouldBe("FrontDesk");
        var member = (await ListAsync(owner)).Members.Single(m => m.ProviderId == providerId);
        member.Status.ShouldBe("Active");
        member.LastSignInAt.ShouldNotBeNull();

        await using var audit = OpenSession();
        var invited = (await audit.Query<AuditEntry>().Where(a => a.Action == "member.invited").ToListAsync()).ShouldHaveSingleItem();
        invited.RecordId.ShouldBe(providerId.ToString());
        invited.ActorId.ShouldBe((await MeAsync(owner.Cookie)).UserId);
        invited.Outcome.ShouldBe("FrontDesk");
    }

    [Fact]
    public async Task The_member_link_works_until_5_days_then_a_fresh_one_can_be_asked_for_and_each_link_works_once()
    {
        var owner = await Host.NewProviderAsync();
        var email = $"billie-{Guid.NewGuid():N}@portal.test";
        await InviteAsync(owner, "Billie Biller", email, "Biller");
        var token = await TokenFromMailAsync(email);

        Clock.Advance(TimeSpan.FromDays(4) + TimeSpan.FromHours(23));
        await CheckAsync(token, 200);
        Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await CheckAsync(token, 410);
        await ActivateAsync(token, 410);

        var (renewed, _) = await TrackedScenario(s =>
        {
            s.Post.Json(new { token }).ToUrl("/api/account/member-activation/renew");
            s.StatusCodeShouldBe(202);
        });
        var fresh = renewed.Published<MemberInvitationEmailRequested>().ShouldHaveSingleItem();
        fresh.Email.ShouldBe(email);
        var freshToken = Host.TokenFrom(fresh.ActivationLink);
        await CheckAsync(freshToken, 200);

        await ActivateAsync(freshToken, 200);
        await ActivateAsync(freshToken, 410);
        await CheckAsync(freshToken, 410);
        // Asking again from a used link sends nothing: the member has an account.
        var (again, _) = await TrackedScenario(s =>
        {
            s.Post.Json(new { token = freshToken }).ToUrl("/api/account/member-activation/renew");
            s.StatusCodeShouldBe(202);
        });
        again.Published<MemberInvitationEmailRequested>().ShouldBeEmpty();
    }

    [Fact]
    public async Task An_owner_s_fresh_link_replaces_the_pending_one()
    {
        var owner = await Host.NewProviderAsync();
        var email = $"chris-{Guid.NewGuid():N}@portal.test";
        var (_, providerId) = await InviteAsync(owner, "Chris Clinician", email, "Clinician");
        var first = await TokenFromMailAsync(email);

        var (resent, _) = await TrackedScenario(s =>
        {
            s.As(owner);
            s.Post.Url($"/api/console/practice/members/{providerId}/invitation");
            s.StatusCodeShouldBeOk();
        });
        var second = Host.TokenFrom(resent.Published<MemberInvitationEmailRequested>().ShouldHaveSingleItem().ActivationLink);

        await CheckAsync(first, 410);
        await ActivateAsync(second, 200);
        await Host.Scenario(s =>
        {
            s.As(owner);
            s.Post.Url($"/api/console/practice/members/{providerId}/invitation");
            s.StatusCodeShouldBe(409);
        });
    }

    [Fact]
    public async Task An_invited_clinician_gets_the_portal_switch_the_practice_s_clinicians_have()
    {
        var owner = await Host.NewProviderAsync(portalEnabled: true);
        var (_, providerId) = await InviteAsync(owner, "Chris Clinician", $"chris-{Guid.NewGuid():N}@portal.test", "Clinician");
        await using var session = OpenSession();
        (await session.LoadAsync<Portal.Practice.Roster.RosterProvider>(providerId)).ShouldNotBeNull().PortalEnabled.ShouldBeTrue();

        var closed = await Host.NewProviderAsync(portalEnabled: false, support: owner.Support);
        var (_, other) = await InviteAsync(closed, "Dana Clinician", $"dana-{Guid.NewGuid():N}@portal.test", "Clinician");
        await using var again = OpenSession();
        (await again.LoadAsync<Portal.Practice.Roster.RosterProvider>(other)).ShouldNotBeNull().PortalEnabled.ShouldBeFalse();
    }

    [Theory]
    [InlineData(StaffRole.Clinician)]
    [InlineData(StaffRole.FrontDesk)]
    [InlineData(StaffRole.Biller)]
    public async Task A_member_who_is_not_an_owner_gets_403_from_every_members_endpoint_and_page(StaffRole role)
    {
        var owner = await Host.NewProviderAsync();
        var member = await Host.NewMemberAsync(owner, role);

        await Host.Scenario(s => { s.As(member); s.Get.Url("/api/console/practice/members"); s.StatusCodeShouldBe(403); });
        await Host.Scenario(s =>
        {
            s.As(member);
            s.Post.Json(new { name = "Eve", email = $"eve-{Guid.NewGuid():N}@portal.test", role = "Owner" }).ToUrl("/api/console/practice/members");
            s.StatusCodeShouldBe(403);
        });
        await Host.Scenario(s =>
        {
            s.As(member);
            s.Put.Json(new { role = "Owner" }).ToUrl($"/api/console/practice/members/{member.ProviderId}/role");
            s.StatusCodeShouldBe(403);
        });
        foreach (var action in new[] { "deactivate", "reactivate", "invitation" })
        {
            await Host.Scenario(s =>
            {
                s.As(member);
                s.Post.Url($"/api/console/practice/members/{owner.ProviderId}/{action}");
                s.StatusCodeShouldBe(403);
            });
        }
        var page = await Host.Scenario(s => { s.As(member); s.Get.Url("/console/practice/members"); s.StatusCodeShouldBe(302); });
        page.Context.Response.Headers.Location.ToString().ShouldContain("/forbidden");
        (await Host.GetAsText("/console", member)).ShouldNotContain("/console/practice/members");

        (await Host.GetAsText("/console/practice/members", owner)).ShouldContain(member.Email);
        (await Host.GetAsText("/console", owner)).ShouldContain("href=\"/console/practice/members\"");
    }

    [Fact]
    public async Task An_owner_of_another_practice_gets_404_for_a_member()
    {
        var owner = await Host.NewProviderAsync();
        var member = await Host.NewMemberAsync(owner, StaffRole.Clinician);
        var stranger = await Host.NewProviderAsync(support: owner.Support);

        await Host.Scenario(s =>
        {
            s.As(stranger);
            s.Put.Json(new { role = "Biller" }).ToUrl($"/api/console/practice/members/{member.ProviderId}/role");
            s.StatusCodeShouldBe(404);
        });
        await Host.Scenario(s =>
        {
            s.As(stranger);
            s.Post.Url($"/api/console/practice/members/{member.ProviderId}/deactivate");
            s.StatusCodeShouldBe(404);
        });
        (await ListAsync(stranger)).Members.ShouldNotContain(m => m.ProviderId == member.ProviderId);
        (await MeAsync(member.Cookie)).StaffRole.ShouldBe("Clinician");
    }

    [Fact]
    public async Task The_last_active_owner_can_be_neither_demoted_nor_deactivated()
    {
        var owner = await Host.NewProviderAsync();

        var demoted = await Host.Scenario(s =>
        {
            s.As(owner);
            s.Put.Json(new { role = "Clinician" }).ToUrl($"/api/console/practice/members/{owner.ProviderId}/role");
            s.StatusCodeShouldBe(409);
        });
        (await demoted.ReadAsTextAsync()).ShouldContain("at least one active owner");
        var deactivated = await Host.Scenario(s =>
        {
            s.As(owner);
            s.Post.Url($"/api/console/practice/members/{owner.ProviderId}/deactivate");
            s.StatusCodeShouldBe(409);
        });
        (await deactivated.ReadAsTextAsync()).ShouldContain("at least one active owner");
        (await MeAsync(owner.Cookie)).StaffRole.ShouldBe("Owner");

        // With a second owner the first may step down; the second is then the last and stays.
        var second = await Host.NewMemberAsync(owner, StaffRole.Owner);
        await ChangeRoleAsync(owner, owner.ProviderId, "Clinician", 200);
        await Host.Scenario(s =>
        {
            s.As(second);
            s.Post.Url($"/api/console/practice/members/{second.ProviderId}/deactivate");
            s.StatusCodeShouldBe(409);
        });
    }

    [Fact]
    public async Task A_role_change_ends_the_member_s_sessions_at_once_and_the_next_sign_in_carries_the_new_role()
    {
        var owner = await Host.NewProviderAsync();
        var member = await Host.NewMemberAsync(owner, StaffRole.Clinician);
        var otherDevice = await Host.SignInAgainAsync(member);
        (await MeAsync(member.Cookie)).StaffRole.ShouldBe("Clinician");

        await ChangeRoleAsync(owner, member.ProviderId, "FrontDesk", 200);

        foreach (var cookie in new[] { member.Cookie, otherDevice.Cookie })
        {
            await Host.Scenario(s => { s.WithRequestHeader("Cookie", cookie); s.Get.Url("/api/account/me"); s.StatusCodeShouldBe(401); });
            var page = await Host.Scenario(s => { s.WithRequestHeader("Cookie", cookie); s.Get.Url("/console"); s.StatusCodeShouldBe(302); });
            page.Context.Response.Headers.Location.ToString().ShouldContain("/signin");
        }
        var again = await Host.SignInAgainAsync(member);
        (await MeAsync(again.Cookie)).StaffRole.ShouldBe("FrontDesk");
        (await MeAsync(owner.Cookie)).StaffRole.ShouldBe("Owner");

        await using var session = OpenSession();
        var entry = (await session.Query<AuditEntry>().Where(a => a.Action == "member.role-changed").ToListAsync()).ShouldHaveSingleItem();
        entry.RecordId.ShouldBe(member.ProviderId.ToString());
        entry.ActorId.ShouldBe((await MeAsync(owner.Cookie)).UserId);
        entry.Outcome.ShouldBe("Clinician->FrontDesk");
        entry.At.ShouldBe(Clock.GetUtcNow());
    }

    [Fact]
    public async Task A_deactivated_member_is_signed_out_and_refused_like_a_wrong_password_until_reactivated()
    {
        var owner = await Host.NewProviderAsync();
        var member = await Host.NewMemberAsync(owner, StaffRole.Biller);

        var (_, result) = await TrackedScenario(s =>
        {
            s.As(owner);
            s.Post.Url($"/api/console/practice/members/{member.ProviderId}/deactivate");
            s.StatusCodeShouldBeOk();
        });
        (await result.ReadAsJsonAsync<MemberBody>())!.Status.ShouldBe("Deactivated");
        await Host.Scenario(s => { s.As(member); s.Get.Url("/api/account/me"); s.StatusCodeShouldBe(401); });

        var refused = await SignInAnswerAsync(member.Email, member.Password);
        var wrongPassword = await SignInAnswerAsync(owner.Email, "Not-The-Right-Password-1");
        var unknown = await SignInAnswerAsync($"nobody-{Guid.NewGuid():N}@portal.test", member.Password);
        refused.ShouldBe(wrongPassword);
        refused.ShouldBe(unknown);
        refused.Status.ShouldBe(401);

        await TrackedScenario(s =>
        {
            s.As(owner);
            s.Post.Url($"/api/console/practice/members/{member.ProviderId}/reactivate");
            s.StatusCodeShouldBeOk();
        });
        var back = await Host.SignInAgainAsync(member);
        (await MeAsync(back.Cookie)).StaffRole.ShouldBe("Biller");

        var ownerId = (await MeAsync(owner.Cookie)).UserId;
        await using var session = OpenSession();
        var actions = await session.Query<AuditEntry>()
            .Where(a => a.RecordId == member.ProviderId.ToString() && a.Action.StartsWith("member.")).ToListAsync();
        actions.Select(a => a.Action).OrderBy(a => a).ShouldBe(["member.deactivated", "member.reactivated"]);
        actions.ShouldAllBe(a => a.ActorId == ownerId && a.ActorRole == "provider");
    }

    [Fact]
    public async Task Support_s_practices_page_shows_each_member_s_role_and_adds_a_member_with_a_role()
    {
        var owner = await Host.NewProviderAsync();
        await Host.NewMemberAsync(owner, StaffRole.FrontDesk, name: "Frankie Frontdesk");

        var page = await Host.GetAsText("/support/practices", owner.Support);
        page.ShouldContain("Front desk");
        page.ShouldContain("Owner");

        var email = $"billie-{Guid.NewGuid():N}@portal.test";
        var opened = await Host.OpenPageAsync(owner.Support, "/support/practices");
        var (_, posted) = await TrackedScenario(s => s.PostForm(owner.Support, opened, "/support/practices", "AddMember", new()
        {
            ["practiceId"] = owner.PracticeId.ToString(), ["memberName"] = "Billie Biller", ["memberEmail"] = email, ["memberRole"] = "Biller",
        }));
        posted.Context.Response.StatusCode.ShouldBe(200);
        (await posted.ReadAsTextAsync()).ShouldContain("Member added.");
        var members = (await ListAsync(owner)).Members;
        members.Select(m => m.RoleName).OrderBy(r => r).ShouldBe(["Biller", "Front desk", "Owner"]);
        members.Single(m => m.Email == email).Status.ShouldBe("Invited");
    }

    [Fact]
    public async Task Bad_invitations_answer_400_naming_the_field_and_a_taken_email_409()
    {
        var owner = await Host.NewProviderAsync();
        var bad = await Host.Scenario(s =>
        {
            s.As(owner);
            s.Post.Json(new { name = "", email = "not-an-email", role = (string?)null }).ToUrl("/api/console/practice/members");
            s.StatusCodeShouldBe(400);
        });
        var text = await bad.ReadAsTextAsync();
        text.ShouldContain("name", Case.Insensitive);
        text.ShouldContain("email", Case.Insensitive);
        text.ShouldContain("role", Case.Insensitive);

        await Host.Scenario(s =>
        {
            s.As(owner);
            s.Post.Json(new { name = "Pat Again", email = owner.Email, role = "Clinician" }).ToUrl("/api/console/practice/members");
            s.StatusCodeShouldBe(409);
        });
    }

    private async Task<(DateTimeOffset InvitedAt, Guid ProviderId)> InviteAsync(ProviderActor owner, string name, string email, string role)
    {
        var (tracked, result) = await TrackedScenario(s =>
        {
            s.As(owner);
            s.Post.Json(new { name, email, role }).ToUrl("/api/console/practice/members");
            s.StatusCodeShouldBe(201);
        });
        tracked.Published<MemberInvitationEmailRequested>().ShouldHaveSingleItem().Email.ShouldBe(email);
        var body = (await result.ReadAsJsonAsync<InvitedBody>())!;
        return (body.InvitedAt, body.ProviderId);
    }

    /// <summary>The token of the activation link in the email the member received (the real SMTP capture).</summary>
    private async Task<string> TokenFromMailAsync(string email)
    {
        await Mail.WaitForAsync();
        var message = Mail.To(email).ShouldHaveSingleItem();
        var link = new Uri(MailCapture.LinkIn(message).ShouldNotBeNull());
        link.AbsolutePath.ShouldBe("/activate/member");
        return link.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Single(p => p[0] == "token")[1];
    }

    private Task CheckAsync(string token, int status) => Host.Scenario(s =>
    {
        s.Post.Json(new { token }).ToUrl("/api/account/member-activation/check");
        s.StatusCodeShouldBe(status);
    });

    private Task ActivateAsync(string token, int status) => TrackedScenario(s =>
    {
        s.Post.Json(new { token, password = MemberPassword }).ToUrl("/api/account/member-activation");
        s.StatusCodeShouldBe(status);
    });

    private Task ChangeRoleAsync(ProviderActor owner, Guid providerId, string role, int status) => TrackedScenario(s =>
    {
        s.As(owner);
        s.Put.Json(new { role }).ToUrl($"/api/console/practice/members/{providerId}/role");
        s.StatusCodeShouldBe(status);
    });

    private Task<MembersBody> ListAsync(ProviderActor owner) => Host.GetAsJson<MembersBody>("/api/console/practice/members", owner);

    private async Task<MeBody> MeAsync(string cookie)
    {
        var result = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", cookie);
            s.Get.Url("/api/account/me");
            s.StatusCodeShouldBeOk();
        });
        return (await result.ReadAsJsonAsync<MeBody>())!;
    }

    private async Task<(int Status, string? Title)> SignInAnswerAsync(string email, string password)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { email, password }).ToUrl("/api/account/sign-in");
            s.StatusCodeShouldBe(401);
        });
        return (result.Context.Response.StatusCode, (await result.ReadAsJsonAsync<ProblemBody>())!.Title);
    }

    private sealed record InvitedBody(Guid ProviderId, DateTimeOffset InvitedAt);

    private sealed record ActivatedBody(Guid AccountId, string Email, string RedirectTo);

    private sealed record MemberBody(Guid ProviderId, string Name, string Email, string Role, string RoleName, string Status,
        DateTimeOffset? LastSignInAt);

    private sealed record MembersBody(Guid PracticeId, string PracticeName, IReadOnlyList<MemberBody> Members);

    private sealed record MeBody(Guid UserId, string Role, string? StaffRole);

    private sealed record ProblemBody(string? Title);
}

using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.BuildingBlocks.Auditing;
using Portal.Contracts;
using Portal.Practice.Members;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Practice;

/// <summary>
/// Members and their logins stored before staff roles existed have no role; the start-up upgrade gives the practice's
/// earliest member Owner and the others Clinician, everywhere, so their console opens again.
/// </summary>
public sealed class PreRolesMemberRolesTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task A_practice_from_before_roles_gets_its_earliest_member_as_owner_at_start_and_the_console_opens_again()
    {
        var owner = await Host.NewProviderAsync();
        var member = await Host.NewMemberAsync(owner, StaffRole.Clinician);
        var other = await Host.NewProviderAsync();
        await PlantWithoutRolesAsync(owner.PracticeId);

        // What the live walk found: after the second factor, every console page sends the member away.
        var before = await Host.SignInAsync(owner.Email, owner.Password);
        await ConsoleAsync(before.Cookie, 302, location: "/forbidden");

        await RunStartUpgradeAsync();

        var (cookie, _) = await Host.SignInAsync(owner.Email, owner.Password);
        await ConsoleAsync(cookie, 200);
        (await StaffRoleAsync(cookie)).ShouldBe("Owner");
        (await Host.GetAsText("/console/practice/members", owner with { Cookie = cookie })).ShouldContain(member.Email);
        var (memberCookie, _) = await Host.SignInAsync(member.Email, member.Password);
        await ConsoleAsync(memberCookie, 200);
        (await StaffRoleAsync(memberCookie)).ShouldBe("Clinician");
        await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", memberCookie);
            s.Get.Url("/console/practice/members");
            s.StatusCodeShouldBe(302);
        });

        await using (var session = OpenSession())
        {
            var entries = await session.Query<AuditEntry>().Where(a => a.ActorRole == "system").ToListAsync();
            entries.Where(a => a.Action == "member.role-assigned").Select(a => (a.RecordId, a.Outcome)).OrderBy(e => e.Outcome)
                .ShouldBe([(member.ProviderId.ToString(), "none->Clinician"), (owner.ProviderId.ToString(), "none->Owner")]);
            entries.Count(a => a.Action == "account.staff-role-assigned").ShouldBe(2);
            entries.ShouldNotContain(a => a.RecordId == other.ProviderId.ToString());
        }

        // A second start (or a second host) finds nothing to upgrade: no change, no entry, no message.
        var again = await RunStartUpgradeAsync();
        again.Published<ProviderRosterChanged>().ShouldBeEmpty();
        await using (var session = OpenSession())
            (await session.Query<AuditEntry>().CountAsync(a => a.ActorRole == "system" && a.Action.EndsWith("role-assigned"))).ShouldBe(4);
        (await StaffRoleAsync((await Host.SignInAsync(owner.Email, owner.Password)).Cookie)).ShouldBe("Owner");
    }

    [Fact]
    public async Task A_practice_that_already_has_an_owner_keeps_it_and_its_members_from_before_roles_become_clinicians()
    {
        var owner = await Host.NewProviderAsync();
        var member = await Host.NewMemberAsync(owner, StaffRole.FrontDesk);
        // Only the member's documents are from before roles; the owner kept theirs.
        await using (var session = OpenSession())
        {
            session.QueueSqlCommand("update practice.mt_doc_rosterprovider set data = data - 'Role' where id = ?", member.ProviderId);
            session.QueueSqlCommand("update invitations.mt_doc_account set data = data - 'StaffRole' where data ->> 'ProviderId' = ?",
                member.ProviderId.ToString());
            await session.SaveChangesAsync();
        }

        await RunStartUpgradeAsync();

        (await StaffRoleAsync((await Host.SignInAsync(member.Email, member.Password)).Cookie)).ShouldBe("Clinician");
        (await StaffRoleAsync((await Host.SignInAsync(owner.Email, owner.Password)).Cookie)).ShouldBe("Owner");
    }

    /// <summary>The roster's members and the logins of one practice, as they were stored before roles: no role at all.</summary>
    private async Task PlantWithoutRolesAsync(Guid practiceId)
    {
        await using var session = OpenSession();
        session.QueueSqlCommand("update practice.mt_doc_rosterprovider set data = data - 'Role' where data ->> 'PracticeId' = ?",
            practiceId.ToString());
        session.QueueSqlCommand("update invitations.mt_doc_account set data = data - 'StaffRole' where data ->> 'PracticeId' = ?",
            practiceId.ToString());
        await session.SaveChangesAsync();
    }

    /// <summary>The host's start-up step, as a start runs it, waiting for every module to follow.</summary>
    private Task<Wolverine.Tracking.ITrackedSession> RunStartUpgradeAsync()
    {
        var upgrade = Host.Services.GetServices<IHostedService>().OfType<PreRolesMemberRolesAtStart>().ShouldHaveSingleItem();
        return Host.TrackAsync(_ => upgrade.StartedAsync(CancellationToken.None), failOnHandlerErrors: true);
    }

    private async Task ConsoleAsync(string cookie, int status, string? location = null)
    {
        var result = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", cookie);
            s.Get.Url("/console");
            s.StatusCodeShouldBe(status);
        });
        if (location is not null) result.Context.Response.Headers.Location.ToString().ShouldContain(location);
    }

    private async Task<string?> StaffRoleAsync(string cookie)
    {
        var result = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", cookie);
            s.Get.Url("/api/account/me");
            s.StatusCodeShouldBeOk();
        });
        return (await result.ReadAsJsonAsync<MeBody>())!.StaffRole;
    }

    private sealed record MeBody(Guid UserId, string Role, string? StaffRole);
}

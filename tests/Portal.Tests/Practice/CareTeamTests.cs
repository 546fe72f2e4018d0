using Alba;
using Marten;
using Portal.BuildingBlocks.Auditing;
using Portal.Contracts;
using Portal.Notifications.Inbox;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Practice;

/// <summary>
/// A client's care team: the owner or the primary clinician adds and removes owners and clinicians of the practice,
/// and transfers the primary (audited, both told); team members see the client everywhere, removed ones nowhere.
/// </summary>
public sealed class CareTeamTests(PortalFixture fixture) : PortalTest(fixture)
{
    private sealed record Practice(ProviderActor Owner, ProviderActor Primary, ProviderActor Colleague, ClientActor Client);

    /// <summary>An owner, two clinicians (the primary and a colleague) and a client of the primary, added by the owner.</summary>
    private async Task<Practice> GivenPracticeAsync(bool colleaguePortalEnabled = true)
    {
        var owner = await Host.NewProviderAsync();
        var primary = await Host.NewMemberAsync(owner, StaffRole.Clinician, name: "Priya Primary");
        var colleague = await Host.NewMemberAsync(owner, StaffRole.Clinician, colleaguePortalEnabled, name: "Cole Colleague");
        var added = await TrackedScenario(s =>
        {
            s.As(owner);
            s.Post.Json(new { firstName = "Jane", lastName = "Doe", email = $"jane-{Guid.NewGuid():N}@portal.test",
                dateOfBirth = new DateOnly(1990, 4, 17), primaryClinicianId = primary.ProviderId }).ToUrl("/api/console/clients");
            s.StatusCodeShouldBe(201);
        });
        var clientId = (await added.Result.ReadAsJsonAsync<IdBody>())!.ClientId;
        return new Practice(owner, primary, colleague,
            new ClientActor(clientId, primary, "Jane", "Doe", "jane@portal.test", new DateOnly(1990, 4, 17)));
    }

    private sealed record IdBody(Guid ClientId);

    private sealed record TeamBody(Guid ClientId, MemberBody Primary, List<MemberBody> Members, bool CanManage);

    private sealed record MemberBody(Guid MemberId, string Name, string Role);

    private sealed record DetailsBody(Guid ProviderId, bool Eligible);

    private Task<(Wolverine.Tracking.ITrackedSession Tracked, IScenarioResult Result)> AddToTeam(
        ISignedIn actor, Guid clientId, Guid memberId, int status) =>
        TrackedScenario(s =>
        {
            s.As(actor);
            s.Post.Json(new { memberId }).ToUrl($"/api/console/clients/{clientId}/care-team");
            s.StatusCodeShouldBe(status);
        });

    private Task<(Wolverine.Tracking.ITrackedSession Tracked, IScenarioResult Result)> Transfer(
        ISignedIn actor, Guid clientId, Guid toMemberId, int status, bool keepPreviousOnTeam = false) =>
        TrackedScenario(s =>
        {
            s.As(actor);
            s.Post.Json(new { toMemberId, keepPreviousOnTeam }).ToUrl($"/api/console/clients/{clientId}/care-team/primary");
            s.StatusCodeShouldBe(status);
        });

    private Task Get(ISignedIn actor, string url, int status) =>
        Host.Scenario(s =>
        {
            s.As(actor);
            s.Get.Url(url);
            s.StatusCodeShouldBe(status);
        });

    [Fact]
    public async Task A_clinician_added_to_the_team_sees_the_client_and_their_assessments_and_once_removed_no_longer_does()
    {
        var p = await GivenPracticeAsync();
        var id = p.Client.ClientId;
        await Get(p.Colleague, $"/api/console/clients/{id}", 404);
        await Get(p.Colleague, $"/api/clients/{id}/assessments", 404);

        var (_, added) = await AddToTeam(p.Primary, id, p.Colleague.ProviderId, 200);
        var team = (await added.ReadAsJsonAsync<TeamBody>())!;
        team.Primary.MemberId.ShouldBe(p.Primary.ProviderId);
        team.Members.ShouldHaveSingleItem().MemberId.ShouldBe(p.Colleague.ProviderId);

        await Get(p.Colleague, $"/api/console/clients/{id}", 200);
        await Get(p.Colleague, $"/api/clients/{id}/assessments", 200);
        var list = await Host.Scenario(s =>
        {
            s.As(p.Colleague);
            s.Get.Url("/api/console/clients");
        });
        (await list.ReadAsTextAsync()).ShouldContain(id.ToString());

        await TrackedScenario(s =>
        {
            s.As(p.Owner);
            s.Delete.Url($"/api/console/clients/{id}/care-team/{p.Colleague.ProviderId}");
            s.StatusCodeShouldBeOk();
        });
        await Get(p.Colleague, $"/api/console/clients/{id}", 404);
        await Get(p.Colleague, $"/api/clients/{id}/assessments", 404);

        await using var session = OpenSession();
        var audit = await session.Query<AuditEntry>().Where(a => a.ClientId == id && a.Action.StartsWith("client.care-team")).ToListAsync();
        audit.Select(a => a.Action).OrderBy(a => a).ShouldBe(["client.care-team-member-added", "client.care-team-member-removed"]);
    }

    [Fact]
    public async Task Front_desk_a_biller_and_a_clinician_who_is_not_the_primary_cannot_change_the_team()
    {
        var p = await GivenPracticeAsync();
        var id = p.Client.ClientId;
        var frontDesk = await Host.NewMemberAsync(p.Owner, StaffRole.FrontDesk);
        var biller = await Host.NewMemberAsync(p.Owner, StaffRole.Biller);
        var third = await Host.NewMemberAsync(p.Owner, StaffRole.Clinician, name: "Theo Third");

        await AddToTeam(frontDesk, id, p.Colleague.ProviderId, 403);
        await AddToTeam(biller, id, p.Colleague.ProviderId, 403);
        await Transfer(frontDesk, id, p.Colleague.ProviderId, 403);
        await Transfer(biller, id, p.Colleague.ProviderId, 403);
        // A clinician who does not see the client is told it does not exist.
        await AddToTeam(p.Colleague, id, p.Colleague.ProviderId, 404);
        await Transfer(p.Colleague, id, p.Colleague.ProviderId, 404);
        // On the team, but not the primary: they see the client, and may not change who cares for them.
        await AddToTeam(p.Owner, id, p.Colleague.ProviderId, 200);
        await AddToTeam(p.Colleague, id, third.ProviderId, 403);
        await Transfer(p.Colleague, id, p.Colleague.ProviderId, 403);
        await Host.Scenario(s =>
        {
            s.As(p.Colleague);
            s.Delete.Url($"/api/console/clients/{id}/care-team/{p.Colleague.ProviderId}");
            s.StatusCodeShouldBe(403);
        });
        // Another practice's owner sees nothing of it.
        var stranger = await Host.NewProviderAsync(support: p.Owner.Support);
        await AddToTeam(stranger, id, stranger.ProviderId, 404);
        await Get(stranger, $"/api/console/clients/{id}/care-team", 404);

        var team = await Host.Scenario(s =>
        {
            s.As(p.Owner);
            s.Get.Url($"/api/console/clients/{id}/care-team");
        });
        var body = (await team.ReadAsJsonAsync<TeamBody>())!;
        body.Primary.MemberId.ShouldBe(p.Primary.ProviderId);
        body.Members.Select(m => m.MemberId).ShouldBe([p.Colleague.ProviderId]);
    }

    [Fact]
    public async Task Only_an_active_owner_or_clinician_of_the_practice_joins_a_team_and_the_refusal_names_the_field()
    {
        var p = await GivenPracticeAsync();
        var id = p.Client.ClientId;
        var frontDesk = await Host.NewMemberAsync(p.Owner, StaffRole.FrontDesk);
        var biller = await Host.NewMemberAsync(p.Owner, StaffRole.Biller);
        var otherPractice = await Host.NewProviderAsync(support: p.Owner.Support);

        foreach (var memberId in new[] { frontDesk.ProviderId, biller.ProviderId, otherPractice.ProviderId, Guid.NewGuid(), Guid.Empty })
        {
            var (_, refused) = await AddToTeam(p.Owner, id, memberId, 400);
            (await refused.ReadAsTextAsync()).ShouldContain("memberId");
        }
        var (_, transfer) = await Transfer(p.Owner, id, frontDesk.ProviderId, 400);
        (await transfer.ReadAsTextAsync()).ShouldContain("toMemberId");
        var (_, self) = await Transfer(p.Owner, id, p.Primary.ProviderId, 400);
        (await self.ReadAsTextAsync()).ShouldContain("toMemberId");

        await Get(frontDesk, $"/api/console/clients/{id}/care-team", 200); // front desk sees who cares for the client
    }

    [Fact]
    public async Task The_owner_transfers_the_primary_audited_and_both_clinicians_are_told_by_email_and_in_the_console()
    {
        var p = await GivenPracticeAsync();
        var id = p.Client.ClientId;

        var (tracked, result) = await Transfer(p.Owner, id, p.Colleague.ProviderId, 200, keepPreviousOnTeam: true);

        var team = (await result.ReadAsJsonAsync<TeamBody>())!;
        team.Primary.MemberId.ShouldBe(p.Colleague.ProviderId);
        team.Members.Select(m => m.MemberId).ShouldBe([p.Primary.ProviderId]);
        var told = tracked.Published<PrimaryClinicianChanged>().ShouldHaveSingleItem();
        (told.FromMemberId, told.ToMemberId, told.ClientId).ShouldBe((p.Primary.ProviderId, p.Colleague.ProviderId, id));

        await using (var session = OpenSession())
        {
            var entry = (await session.Query<AuditEntry>().Where(a => a.Action == "client.primary-transferred").ToListAsync())
                .ShouldHaveSingleItem();
            entry.ClientId.ShouldBe(id);
            entry.ActorRole.ShouldBe("provider");
            entry.ActorId.ShouldNotBeNull();
            entry.Outcome.ShouldBe($"from {p.Primary.ProviderId} to {p.Colleague.ProviderId}");
            var inbox = await session.Query<ProviderNotification>().Where(n => n.Kind == NotificationKind.CareTeam).ToListAsync();
            inbox.Single(n => n.ProviderId == p.Colleague.ProviderId).Text
                .ShouldBe("Jane D. was transferred to you from Priya Primary by Pat Provider. You are now their primary clinician.");
            inbox.Single(n => n.ProviderId == p.Primary.ProviderId).Text
                .ShouldBe("Jane D. was transferred from you to Cole Colleague by Pat Provider. Cole Colleague is now their primary clinician.");
        }

        var toNew = Mail.To(p.Colleague.Email).ShouldHaveSingleItem();
        toNew.Subject.ShouldBe("Jane D.: you are now the primary clinician");
        toNew.TextBody!.ShouldContain($"/console/clients/{id}");
        var toOld = Mail.To(p.Primary.Email).ShouldHaveSingleItem();
        toOld.Subject.ShouldBe("Jane D.: transferred to Cole Colleague");
        foreach (var part in new[] { toNew.TextBody!, toNew.HtmlBody!, toOld.TextBody!, toOld.HtmlBody! })
            part.ShouldNotContain("Doe"); // the client as "Jane D." only
        Mail.To(p.Owner.Email).ShouldBeEmpty();

        // Kept on the team, the previous primary still sees the client; the new one does too.
        await Get(p.Primary, $"/api/console/clients/{id}", 200);
        await Get(p.Colleague, $"/api/console/clients/{id}", 200);
    }

    [Fact]
    public async Task The_primary_hands_the_client_on_and_without_staying_on_the_team_no_longer_sees_them()
    {
        var p = await GivenPracticeAsync();
        var id = p.Client.ClientId;

        await Transfer(p.Primary, id, p.Colleague.ProviderId, 200);

        await Get(p.Primary, $"/api/console/clients/{id}", 404);
        await Get(p.Primary, $"/api/clients/{id}/assessments", 404);
        await Get(p.Colleague, $"/api/clients/{id}/assessments", 200);
        Mail.To(p.Colleague.Email).ShouldHaveSingleItem().TextBody!
            .ShouldContain("Jane D. was transferred to you from Priya Primary. You are now their primary clinician.");
        Mail.To(p.Primary.Email).ShouldHaveSingleItem().TextBody!
            .ShouldContain("Jane D. was transferred from you to Cole Colleague. Cole Colleague is now their primary clinician.");
    }

    [Fact]
    public async Task After_a_transfer_the_client_s_eligibility_follows_the_new_primary_s_portal_switch()
    {
        var p = await GivenPracticeAsync(colleaguePortalEnabled: false);
        var id = p.Client.ClientId;
        (await ReadDetails(p.Owner, id)).Eligible.ShouldBeTrue();

        await Transfer(p.Owner, id, p.Colleague.ProviderId, 200);

        var details = await ReadDetails(p.Owner, id);
        details.ProviderId.ShouldBe(p.Colleague.ProviderId);
        details.Eligible.ShouldBeFalse();
        // Invitations' copy follows too: no invitation for a client whose new primary's portal is off.
        await Host.Scenario(s =>
        {
            s.As(p.Owner);
            s.Post.Url($"/api/console/clients/{id}/invitation");
            s.StatusCodeShouldBe(409);
        });

        await TrackedScenario(s =>
        {
            s.As(p.Owner.Support);
            s.Put.Json(new { enabled = true }).ToUrl($"/api/support/providers/{p.Colleague.ProviderId}/portal-access");
            s.StatusCodeShouldBeOk();
        });
        (await ReadDetails(p.Owner, id)).Eligible.ShouldBeTrue();
    }

    private async Task<DetailsBody> ReadDetails(ISignedIn actor, Guid clientId)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(actor);
            s.Get.Url($"/api/console/clients/{clientId}");
            s.StatusCodeShouldBeOk();
        });
        return (await result.ReadAsJsonAsync<DetailsBody>())!;
    }

    [Fact]
    public async Task Front_desk_adds_a_client_for_a_clinician_who_then_sees_them_and_must_name_one()
    {
        var owner = await Host.NewProviderAsync();
        var clinician = await Host.NewMemberAsync(owner, StaffRole.Clinician);
        var frontDesk = await Host.NewMemberAsync(owner, StaffRole.FrontDesk);
        var biller = await Host.NewMemberAsync(owner, StaffRole.Biller);
        object Body(Guid? primaryClinicianId) => new
        {
            firstName = "Sam", lastName = "Lee", email = $"sam-{Guid.NewGuid():N}@portal.test",
            dateOfBirth = new DateOnly(2001, 2, 3), primaryClinicianId,
        };

        var missing = await Host.Scenario(s =>
        {
            s.As(frontDesk);
            s.Post.Json(Body(null)).ToUrl("/api/console/clients");
            s.StatusCodeShouldBe(400);
        });
        (await missing.ReadAsTextAsync()).ShouldContain("primaryClinicianId");
        foreach (var notClinical in new[] { frontDesk.ProviderId, biller.ProviderId, Guid.NewGuid() })
        {
            var refused = await Host.Scenario(s =>
            {
                s.As(frontDesk);
                s.Post.Json(Body(notClinical)).ToUrl("/api/console/clients");
                s.StatusCodeShouldBe(400);
            });
            (await refused.ReadAsTextAsync()).ShouldContain("primaryClinicianId");
        }

        var (_, created) = await TrackedScenario(s =>
        {
            s.As(frontDesk);
            s.Post.Json(Body(clinician.ProviderId)).ToUrl("/api/console/clients");
            s.StatusCodeShouldBe(201);
        });
        var clientId = (await created.ReadAsJsonAsync<IdBody>())!.ClientId;
        (await ReadDetails(clinician, clientId)).ShouldBe(new DetailsBody(clinician.ProviderId, true));
        await Get(clinician, $"/api/clients/{clientId}/assessments", 200);
    }

    [Fact]
    public async Task A_clinician_who_names_nobody_is_the_primary_of_the_client_they_add()
    {
        var owner = await Host.NewProviderAsync();
        var clinician = await Host.NewMemberAsync(owner, StaffRole.Clinician, portalEnabled: false);

        var client = await Host.AddClientAsync(clinician);

        var details = await ReadDetails(owner, client.ClientId);
        details.ProviderId.ShouldBe(clinician.ProviderId);
        details.Eligible.ShouldBeFalse(); // the clinician's portal switch is off: eligibility follows the primary
    }
}

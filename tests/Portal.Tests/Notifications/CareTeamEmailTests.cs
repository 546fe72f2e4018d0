using Alba;
using Marten;
using Portal.Contracts;
using Portal.Notifications.Inbox;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Notifications;

/// <summary>
/// Provider emails about what a client did go to the client's primary clinician, and to each care-team member who
/// chose "Also email me about clients whose care team I am on"; never to anyone else.
/// </summary>
public sealed class CareTeamEmailTests(PortalFixture fixture) : PortalTest(fixture)
{
    private const string Subject = "Jane D. completed an intake form";

    private sealed record IdBody(Guid ClientId);

    private sealed record PreferencesBody(bool CareTeamEmails);

    private async Task<(ProviderActor Owner, ProviderActor Primary, ProviderActor Member, Guid ClientId)> GivenTeamAsync()
    {
        var owner = await Host.NewProviderAsync();
        var primary = await Host.NewMemberAsync(owner, StaffRole.Clinician, name: "Priya Primary");
        var member = await Host.NewMemberAsync(owner, StaffRole.Clinician, name: "Cole Colleague");
        var (_, added) = await TrackedScenario(s =>
        {
            s.As(owner);
            s.Post.Json(new { firstName = "Jane", lastName = "Doe", email = $"jane-{Guid.NewGuid():N}@portal.test",
                dateOfBirth = new DateOnly(1990, 4, 17), primaryClinicianId = primary.ProviderId }).ToUrl("/api/console/clients");
            s.StatusCodeShouldBe(201);
        });
        var clientId = (await added.ReadAsJsonAsync<IdBody>())!.ClientId;
        await TrackedScenario(s =>
        {
            s.As(primary);
            s.Post.Json(new { memberId = member.ProviderId }).ToUrl($"/api/console/clients/{clientId}/care-team");
            s.StatusCodeShouldBeOk();
        });
        Mail.Clear();
        return (owner, primary, member, clientId);
    }

    /// <summary>The client completes an intake form; the event names the provider the sending module knew of.</summary>
    private Task ClientCompletesAFormAsync(Guid clientId, Guid providerIdInTheEvent) =>
        Publish(new IntakeFormCompleted(Guid.NewGuid(), clientId, providerIdInTheEvent, Guid.NewGuid(), 1, "Intake",
            new Actor(ActorKind.Client, Guid.NewGuid(), "Jane Doe"), Clock.GetUtcNow()));

    private async Task ChooseCareTeamEmailsAsync(ProviderActor member, bool on)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(member);
            s.Put.Json(new { digestHour = 17, timeZone = "UTC", modes = new Dictionary<string, string>(), careTeamEmails = on })
                .ToUrl("/api/notifications/preferences");
            s.StatusCodeShouldBeOk();
        });
        (await result.ReadAsJsonAsync<PreferencesBody>())!.CareTeamEmails.ShouldBe(on);
    }

    private async Task<IReadOnlyList<ProviderNotification>> InboxOfAsync(Guid memberId)
    {
        await using var session = OpenSession();
        return await session.Query<ProviderNotification>().Where(n => n.ProviderId == memberId).ToListAsync();
    }

    [Fact]
    public async Task A_team_member_who_did_not_ask_gets_nothing_and_one_who_asked_gets_the_email_as_the_primary_does()
    {
        var (owner, primary, member, clientId) = await GivenTeamAsync();
        var frontDesk = await Host.NewMemberAsync(owner, StaffRole.FrontDesk);
        var biller = await Host.NewMemberAsync(owner, StaffRole.Biller);

        await ClientCompletesAFormAsync(clientId, primary.ProviderId);

        Mail.To(primary.Email).ShouldHaveSingleItem().Subject.ShouldBe(Subject);
        Mail.To(member.Email).ShouldBeEmpty();
        (await InboxOfAsync(member.ProviderId)).ShouldBeEmpty();

        await ChooseCareTeamEmailsAsync(member, on: true);
        await ClientCompletesAFormAsync(clientId, primary.ProviderId);

        Mail.To(primary.Email).Count.ShouldBe(2);
        var email = Mail.To(member.Email).ShouldHaveSingleItem();
        email.Subject.ShouldBe(Subject);
        email.TextBody!.ShouldContain("Hello Cole Colleague");
        email.TextBody!.ShouldContain($"/console/clients/{clientId}");
        (await InboxOfAsync(member.ProviderId)).ShouldHaveSingleItem().Text.ShouldBe(Subject);
        // Never the owner, front desk or billing: they are on no care team here.
        foreach (var other in new[] { owner, frontDesk, biller }) Mail.To(other.Email).ShouldBeEmpty();
    }

    [Fact]
    public async Task After_a_transfer_the_new_primary_gets_the_provider_emails_and_the_previous_one_does_not()
    {
        var (owner, primary, member, clientId) = await GivenTeamAsync();
        await TrackedScenario(s =>
        {
            s.As(owner);
            s.Post.Json(new { toMemberId = member.ProviderId }).ToUrl($"/api/console/clients/{clientId}/care-team/primary");
            s.StatusCodeShouldBeOk();
        });
        Mail.Clear();

        // The sending module's copy may not have caught up yet: Notifications asks its own copy who the primary is now.
        await ClientCompletesAFormAsync(clientId, primary.ProviderId);

        Mail.To(member.Email).ShouldHaveSingleItem().Subject.ShouldBe(Subject);
        Mail.To(primary.Email).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_choice_is_off_by_default_and_a_preferences_change_that_does_not_name_it_keeps_it()
    {
        var (_, _, member, _) = await GivenTeamAsync();
        var initial = await Host.Scenario(s =>
        {
            s.As(member);
            s.Get.Url("/api/notifications/preferences");
        });
        (await initial.ReadAsJsonAsync<PreferencesBody>())!.CareTeamEmails.ShouldBeFalse();

        await ChooseCareTeamEmailsAsync(member, on: true);
        var kept = await Host.Scenario(s =>
        {
            s.As(member);
            s.Put.Json(new { digestHour = 9, timeZone = "UTC", modes = new Dictionary<string, string>() })
                .ToUrl("/api/notifications/preferences");
            s.StatusCodeShouldBeOk();
        });
        (await kept.ReadAsJsonAsync<PreferencesBody>())!.CareTeamEmails.ShouldBeTrue();
    }
}

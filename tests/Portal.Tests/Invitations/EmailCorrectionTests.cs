using System.Text.Json;
using Alba;
using Marten;
using Portal.BuildingBlocks.Auditing;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Invitations;

/// <summary>
/// Correcting a client's login email, the source document's path: the client's clinician approves a new address and
/// asks, support applies (or declines with a note). With an account the login moves and the client is signed out;
/// without one the roster email and the open invitation move; both addresses are told, every step audited.
/// </summary>
public sealed class EmailCorrectionTests(PortalFixture fixture) : AccessTest(fixture)
{
    private const string Reason = "The client mistyped their address at intake; confirmed by phone.";

    [Fact]
    public async Task With_an_account_support_applies_the_clinician_s_correction_the_new_address_signs_in_and_the_old_no_longer_does()
    {
        var owner = await Host.NewProviderAsync();
        var clinician = await Host.NewMemberAsync(owner, StaffRole.Clinician);
        // The clinician's own client (the primary clinician is whoever added the client).
        var client = await Host.NewClientWithAccountAsync(clinician);
        var newEmail = $"corrected-{Guid.NewGuid():N}@portal.test";
        Mail.Clear();

        var correctionId = await AskAsync(clinician, client.ClientId, newEmail);
        // Nothing changes until support applies it.
        await Host.SignInAsync(client.Email, client.Password!);
        var waiting = await Host.GetAsJson<List<CorrectionBody>>("/api/support/email-corrections", owner.Support);
        var shown = waiting.ShouldHaveSingleItem();
        (shown.CorrectionId, shown.OldEmail, shown.NewEmail, shown.Reason).ShouldBe((correctionId, client.Email, newEmail, Reason));

        var (applied, result) = await Post(owner.Support, $"/api/support/email-corrections/{correctionId}/apply",
            new { note = "Checked with the clinician." }, 200);
        (await result.ReadAsJsonAsync<CorrectionBody>())!.Status.ShouldBe("Applied");
        var changed = Published<EmailAddressChanged>(applied).ShouldHaveSingleItem();
        (changed.OldEmail, changed.NewEmail, changed.CorrectedByPractice).ShouldBe((client.Email, newEmail, true));

        // The client's open session ended; the old address no longer signs in; the new one does, with the same password.
        await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/api/account/me");
            s.StatusCodeShouldBe(401);
        });
        await SignInRefusedAsync(client.Email, client.Password!);
        await Host.SignInAsync(newEmail, client.Password!);
        (await Host.GetAsJson<RosterBody>($"/api/console/clients/{client.ClientId}", owner)).Email.ShouldBe(newEmail);

        var toOld = Mail.To(client.Email).ShouldHaveSingleItem();
        toOld.Subject.ShouldBe($"{owner.PracticeName} corrected your portal email address");
        toOld.TextBody.ShouldNotBeNull().ShouldContain("c***@portal.test");
        toOld.TextBody.ShouldNotBeNull().ShouldNotContain(newEmail);
        toOld.TextBody.ShouldNotBeNull().ShouldContain("this address no longer signs in");
        var toNew = Mail.To(newEmail).ShouldHaveSingleItem();
        toNew.Subject.ShouldBe($"{owner.PracticeName} corrected your portal email address to this one");
        toNew.TextBody.ShouldNotBeNull().ShouldContain("Sign in with this address");
        foreach (var mail in new[] { toOld, toNew })
        {
            mail.TextBody.ShouldNotBeNull().ShouldNotContain("token=");
            mail.TextBody.ShouldNotBeNull().ShouldNotContain(Reason);
        }

        await using var session = OpenSession();
        var audit = await session.Query<AuditEntry>()
            .Where(a => a.ClientId == client.ClientId && a.Action.StartsWith("email.correction-"))
            .OrderBy(a => a.At).ToListAsync();
        audit.Select(a => (a.Action, a.ActorRole)).ShouldBe(
            [("email.correction-requested", "provider"), ("email.correction-applied", "support")]);
        audit[0].ActorId.ShouldBe(await UserIdOfAsync(clinician));
        foreach (var entry in audit)
        {
            entry.Outcome.ShouldNotBeNull().ShouldStartWith("c***@portal.test -> c***@portal.test");
            entry.Outcome.ShouldNotContain(client.Email);
            entry.Outcome.ShouldNotContain(newEmail);
        }

        // Decided once: neither apply nor decline again.
        await Post(owner.Support, $"/api/support/email-corrections/{correctionId}/apply", new { note = (string?)null }, 409);
        await Post(owner.Support, $"/api/support/email-corrections/{correctionId}/decline", new { note = "Too late" }, 409);
    }

    [Fact]
    public async Task Without_an_account_the_open_invitation_goes_to_the_new_address_with_a_fresh_link_and_the_old_link_stops_working()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(owner);
        var oldToken = await Host.SendInvitationAsync(owner, client.ClientId);
        await CheckLink(oldToken, 200);
        var newEmail = $"no-account-{Guid.NewGuid():N}@portal.test";
        Mail.Clear();

        var correctionId = await AskAsync(owner, client.ClientId, newEmail);
        var (applied, _) = await Post(owner.Support, $"/api/support/email-corrections/{correctionId}/apply", new { note = "" }, 200);

        var invitation = Published<InvitationEmailRequested>(applied).ShouldHaveSingleItem();
        invitation.Email.ShouldBe(newEmail);
        var changed = Published<EmailAddressChanged>(applied).ShouldHaveSingleItem();
        changed.HasAccount.ShouldBeFalse();
        await CheckLink(oldToken, 410);
        (await Host.GetAsJson<RosterBody>($"/api/console/clients/{client.ClientId}", owner)).Email.ShouldBe(newEmail);

        Mail.To(client.Email).ShouldHaveSingleItem().TextBody.ShouldNotBeNull().ShouldNotContain("no longer signs in");
        var toNew = Mail.To(newEmail);
        toNew.Count.ShouldBe(2);
        toNew.ShouldContain(m => m.Subject == $"{owner.PracticeName} invited you to your client portal");
        toNew.ShouldContain(m => m.Subject == $"{owner.PracticeName} will write to this address from now on");

        // The fresh link activates an account whose login is the new address.
        var newToken = Host.TokenFrom(invitation.ActivationLink);
        await Post(null, "/api/account/activate", new { token = newToken, dateOfBirth = client.DateOfBirth, password = Actors.DefaultPassword }, 200);
        await Host.SignInAsync(newEmail, Actors.DefaultPassword);
        await SignInRefusedAsync(client.Email, Actors.DefaultPassword);
    }

    [Fact]
    public async Task Front_desk_and_biller_are_refused_and_a_clinician_who_may_not_see_the_client_is_told_it_does_not_exist()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(owner);
        var frontDesk = await Host.NewMemberAsync(owner, StaffRole.FrontDesk);
        var biller = await Host.NewMemberAsync(owner, StaffRole.Biller);
        var otherClinician = await Host.NewMemberAsync(owner, StaffRole.Clinician);
        var otherPractice = await Host.NewProviderAsync();
        var body = new { newEmail = "someone-else@portal.test", reason = Reason };
        var url = $"/api/console/clients/{client.ClientId}/email-corrections";

        await Post(frontDesk, url, body, 403);
        await Post(biller, url, body, 403);
        await Post(client, url, body, 403);
        await Post(owner.Support, url, body, 403);
        await Post(otherClinician, url, body, 404);
        await Post(otherPractice, url, body, 404);
        // The page: front desk and biller are sent to the forbidden page; a clinician who may not see the client gets 404.
        foreach (var refused in new ProviderActor[] { frontDesk, biller })
        {
            var page = await Host.Scenario(s =>
            {
                s.As(refused);
                s.Get.Url($"/console/clients/{client.ClientId}/email-correction");
                s.StatusCodeShouldBe(302);
            });
            page.Context.Response.Headers.Location.ToString().ShouldContain("/forbidden");
        }
        foreach (var refused in new ProviderActor[] { otherClinician, otherPractice })
            await Host.Scenario(s =>
            {
                s.As(refused);
                s.Get.Url($"/console/clients/{client.ClientId}/email-correction");
                s.StatusCodeShouldBe(404);
            });

        (await Host.GetAsJson<List<CorrectionBody>>("/api/support/email-corrections", owner.Support)).ShouldBeEmpty();
        await using var session = OpenSession();
        (await session.Query<AuditEntry>().CountAsync(a => a.Action == "email.correction-requested")).ShouldBe(0);
    }

    [Fact]
    public async Task Support_cannot_apply_without_a_request_and_a_declined_correction_never_applies()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(owner);

        await Post(owner.Support, $"/api/support/email-corrections/{Guid.NewGuid()}/apply", new { note = "x" }, 404);
        await Post(owner.Support, $"/api/support/email-corrections/{Guid.NewGuid()}/decline", new { note = "x" }, 404);
        await Post(owner, $"/api/support/email-corrections/{Guid.NewGuid()}/apply", new { note = "x" }, 403);

        var newEmail = $"declined-{Guid.NewGuid():N}@portal.test";
        var correctionId = await AskAsync(owner, client.ClientId, newEmail);
        await Post(owner, $"/api/support/email-corrections/{correctionId}/apply", new { note = "x" }, 403);
        var (_, withoutNote) = await Post(owner.Support, $"/api/support/email-corrections/{correctionId}/decline", new { note = " " }, 400);
        FieldsAtFault(await withoutNote.ReadAsTextAsync()).ShouldContain("note");
        var (declined, _) = await Post(owner.Support, $"/api/support/email-corrections/{correctionId}/decline",
            new { note = "The clinician's address has a typo; please ask again." }, 200);
        Published<EmailAddressChanged>(declined).ShouldBeEmpty();
        await Post(owner.Support, $"/api/support/email-corrections/{correctionId}/apply", new { note = "x" }, 409);

        await Host.SignInAsync(client.Email, client.Password!);
        await SignInRefusedAsync(newEmail, client.Password!);
        var mine = await Host.GetAsJson<List<CorrectionBody>>($"/api/console/clients/{client.ClientId}/email-corrections", owner);
        mine.ShouldHaveSingleItem().Status.ShouldBe("Declined");
        await using var session = OpenSession();
        (await session.Query<AuditEntry>().CountAsync(a => a.Action == "email.correction-declined" && a.ClientId == client.ClientId))
            .ShouldBe(1);
    }

    [Fact]
    public async Task An_address_another_login_uses_is_refused_with_409_and_bad_input_with_400_naming_the_field()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(owner);
        var other = await Host.NewClientWithAccountAsync(owner);
        var url = $"/api/console/clients/{client.ClientId}/email-corrections";

        await Post(owner, url, new { newEmail = other.Email, reason = Reason }, 409);
        await Post(owner, url, new { newEmail = owner.Email.ToUpperInvariant(), reason = Reason }, 409);
        var (_, invalid) = await Post(owner, url, new { newEmail = "not-an-address", reason = Reason }, 400);
        FieldsAtFault(await invalid.ReadAsTextAsync()).ShouldContain("newemail");
        var (_, noReason) = await Post(owner, url, new { newEmail = "fine@portal.test", reason = "" }, 400);
        FieldsAtFault(await noReason.ReadAsTextAsync()).ShouldContain("reason");
        var (_, same) = await Post(owner, url, new { newEmail = client.Email, reason = Reason }, 400);
        FieldsAtFault(await same.ReadAsTextAsync()).ShouldContain("newemail");

        // One waiting correction per client.
        await AskAsync(owner, client.ClientId, $"first-{Guid.NewGuid():N}@portal.test");
        await Post(owner, url, new { newEmail = $"second-{Guid.NewGuid():N}@portal.test", reason = Reason }, 409);

        // An address taken between the request and support's decision is refused then too, and nothing changes.
        var late = $"late-{Guid.NewGuid():N}@portal.test";
        var laterId = await AskAsync(owner, other.ClientId, late);
        var third = await Host.AddClientAsync(owner);
        await AskAsync(owner, third.ClientId, late);
        var waiting = await Host.GetAsJson<List<CorrectionBody>>("/api/support/email-corrections", owner.Support);
        var thirdId = waiting.Single(c => c.ClientId == third.ClientId).CorrectionId;
        await Post(owner.Support, $"/api/support/email-corrections/{laterId}/apply", new { note = "" }, 200);
        await Post(owner.Support, $"/api/support/email-corrections/{thirdId}/apply", new { note = "" }, 409);
        (await Host.GetAsJson<RosterBody>($"/api/console/clients/{third.ClientId}", owner)).Email.ShouldBe(third.Email);
    }

    [Fact]
    public async Task Support_s_home_counts_the_waiting_corrections_and_the_clinician_s_profile_shows_one_waiting()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(owner);
        await AskAsync(owner, client.ClientId, $"home-{Guid.NewGuid():N}@portal.test");

        var home = await (await Host.Scenario(s =>
        {
            s.As(owner.Support);
            s.Get.Url("/support");
            s.StatusCodeShouldBeOk();
        })).ReadAsTextAsync();
        home.ShouldContain("data-email-corrections=\"1\"");
        home.ShouldContain("/support/email-corrections");

        var profile = await (await Host.Scenario(s =>
        {
            s.As(owner);
            s.Get.Url($"/console/clients/{client.ClientId}");
            s.StatusCodeShouldBeOk();
        })).ReadAsTextAsync();
        profile.ShouldContain("data-correction-status=\"Waiting\"");
    }

    private async Task<Guid> AskAsync(ProviderActor clinician, Guid clientId, string newEmail)
    {
        var (_, result) = await Post(clinician, $"/api/console/clients/{clientId}/email-corrections", new { newEmail, reason = Reason }, 201);
        var body = (await result.ReadAsJsonAsync<CorrectionBody>())!;
        body.Status.ShouldBe("Waiting");
        return body.CorrectionId;
    }

    private Task<IScenarioResult> SignInRefusedAsync(string email, string password) => Host.Scenario(s =>
    {
        s.Post.Json(new { email, password }).ToUrl("/api/account/sign-in");
        s.StatusCodeShouldBe(401);
    });

    private async Task<Guid> UserIdOfAsync(ISignedIn actor)
    {
        var me = await Host.Scenario(s =>
        {
            s.As(actor);
            s.Get.Url("/api/account/me");
        });
        return (await me.ReadAsJsonAsync<MeBody>())!.UserId;
    }

    private static IReadOnlyList<string> FieldsAtFault(string problem) =>
        JsonDocument.Parse(problem).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name.ToLowerInvariant()).ToList();

    private sealed record CorrectionBody(Guid CorrectionId, Guid ClientId, string OldEmail, string NewEmail, string Reason, string Status);

    private sealed record RosterBody(Guid ClientId, string Email);

    private sealed record MeBody(Guid UserId);
}

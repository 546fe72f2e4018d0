using Alba;
using Marten;
using Portal.Caseload.Roster;
using Portal.Contracts;
using Portal.Forms.Documents;
using Portal.Tests.Forms;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Contacts;

/// <summary>
/// One person acting for several client records (issue #33 item 3): contacts on a record, one login for all of them,
/// the switch, and who acted for whom in signatures, Last Updated and provider emails; what a contact may do.
/// </summary>
public sealed class ContactsTests(PortalFixture fixture) : FormsTest(fixture)
{
    private static readonly DateOnly SamBorn = new(2015, 3, 2);
    private static readonly DateOnly LeeBorn = new(2017, 9, 21);

    private sealed record ContactBody(Guid ContactId, string Name, string Email, string Relationship, bool CompletesTasks, bool SeesResults,
        bool ReceivesEmails, bool IsClientOfPractice);
    private sealed record ActingForItemBody(Guid ClientId, string ClientName, string ActingAs, string? Relationship, bool CompletesTasks,
        bool Current);
    private sealed record ActingForBody(List<ActingForItemBody> Records);
    private sealed record Shown(Guid DocumentId, int Version, string ContentHash, bool NeedsSignature);
    private sealed record Saved(Guid DocumentId, int Revision);

    private async Task<ContactBody> AddContact(ProviderActor member, Guid clientId, string name, string email, bool completesTasks = true,
        string relationship = "Parent")
    {
        var (_, result) = await TrackedScenario(s =>
        {
            s.As(member);
            s.Post.Json(new { name, email, relationship, completesTasks, seesResults = false, receivesEmails = true })
                .ToUrl($"/api/console/clients/{clientId}/contacts");
            s.StatusCodeShouldBe(201);
        });
        return (await result.ReadAsJsonAsync<ContactBody>())!;
    }

    private async Task<string> InviteContact(ProviderActor member, Guid clientId, Guid contactId)
    {
        var (tracked, _) = await TrackedScenario(s =>
        {
            s.As(member);
            s.Post.Url($"/api/console/clients/{clientId}/contacts/{contactId}/invitation");
            s.StatusCodeShouldBe(200);
        });
        var email = Published<InvitationEmailRequested>(tracked).ShouldHaveSingleItem();
        return Host.TokenFrom(email.ActivationLink);
    }

    private Task Activate(string token, DateOnly dateOfBirth, string password, int status = 200) =>
        TrackedScenario(s =>
        {
            s.Post.Json(new { token, dateOfBirth, password }).ToUrl("/api/account/activate");
            s.StatusCodeShouldBe(status);
        });

    private sealed record Cookie(string Value) : ISignedIn
    {
        string ISignedIn.Cookie => Value;
    }

    private async Task<Cookie> SwitchTo(ISignedIn login, Guid clientId)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(login);
            s.Post.Json(new { clientId }).ToUrl("/api/account/acting-for");
            s.StatusCodeShouldBeOk();
        });
        return new Cookie(Actors.SessionCookie(result).ShouldNotBeNull());
    }

    private async Task<Guid> PublishedDocument(ProviderActor provider, string title)
    {
        var saved = await Json<Saved>(provider, HttpMethod.Post, "/api/documents", new { title, markdown = "We keep your records private." }, 201);
        await Tracked(provider, HttpMethod.Post, $"/api/documents/{saved.DocumentId}/publish",
            new { revision = saved.Revision, requireExistingSignersToSignAgain = false }, 200);
        return saved.DocumentId;
    }

    /// <summary>Jane Doe is a client with her own login; Sam and Lee Doe are her children, with Jane as parent contact.</summary>
    private async Task<(ProviderActor Provider, ClientActor Jane, ClientActor Sam, ClientActor Lee)> Family()
    {
        var provider = await Host.NewProviderAsync();
        var jane = await Host.NewClientWithAccountAsync(provider, "Jane", "Doe");
        var sam = await Host.AddClientAsync(provider, "Sam", "Doe", SamBorn);
        var lee = await Host.AddClientAsync(provider, "Lee", "Doe", LeeBorn);
        return (provider, jane, sam, lee);
    }

    [Fact]
    public async Task A_parent_with_two_children_and_her_own_record_activates_once_and_acts_for_all_three()
    {
        var (provider, jane, sam, lee) = await Family();
        var frontDesk = await Host.NewMemberAsync(provider, StaffRole.FrontDesk);
        var forSam = await AddContact(frontDesk, sam.ClientId, "Jane Doe", jane.Email);
        forSam.IsClientOfPractice.ShouldBeTrue();
        var forLee = await AddContact(frontDesk, lee.ClientId, "Jane Doe", jane.Email.ToUpperInvariant());
        forLee.Email.ShouldBe(jane.Email);

        // Her email already has a login: each child's record joins it once she gives its password and the child's birth date.
        await Activate(await InviteContact(frontDesk, sam.ClientId, forSam.ContactId), SamBorn, "Not-Her-Password-123", 400);
        await Activate(await InviteContact(frontDesk, sam.ClientId, forSam.ContactId), SamBorn, jane.Password!);
        await Activate(await InviteContact(frontDesk, lee.ClientId, forLee.ContactId), LeeBorn, jane.Password!);

        var login = await Host.SignInAgainAsync(jane);
        var list = await Json<ActingForBody>(login, HttpMethod.Get, "/api/account/acting-for", null, 200);
        list.Records.Select(r => (r.ClientName, r.ActingAs, r.Current)).ShouldBe(
            [("Jane Doe", "self", true), ("Lee Doe", "Parent", false), ("Sam Doe", "Parent", false)]);

        var documentId = await PublishedDocument(provider, "Consent for Treatment");
        Mail.Clear();

        var asSam = await SwitchTo(login, sam.ClientId);
        var shown = await Json<Shown>(asSam, HttpMethod.Get, $"/api/portal/documents/{documentId}", null, 200);
        shown.NeedsSignature.ShouldBeTrue();
        var (tracked, _) = await Tracked(asSam, HttpMethod.Post, $"/api/portal/documents/{documentId}/signatures",
            new { version = shown.Version, contentHash = shown.ContentHash, fullName = "Jane Doe", agreeToSignElectronically = true }, 201);

        await using (var session = OpenSession())
        {
            var record = (await session.Events.QueryRawEventDataOnly<DocumentSigned>().ToListAsync()).ShouldHaveSingleItem();
            (record.ClientId, record.SignedName, record.SignedFor, record.LegalName, record.SignedAsDifferentName)
                .ShouldBe((sam.ClientId, "Jane Doe", "Jane Doe, parent of Sam Doe", "Jane Doe", false));
            (await session.LoadAsync<CaseloadClient>(sam.ClientId)).ShouldNotBeNull().LastActivity
                .ShouldBe("Signed Consent for Treatment, by Jane Doe (parent)");
        }
        var signed = Published<ConsentFormSigned>(tracked).ShouldHaveSingleItem();
        (signed.Actor.DisplayName, signed.Actor.ContactName, signed.Actor.Relationship).ShouldBe(("Jane Doe, parent of Sam Doe", "Jane Doe", "parent"));
        var email = Mail.Messages.ShouldHaveSingleItem();
        email.To.ToString().ShouldContain(provider.Email);
        email.Subject.ShouldBe("Sam D. signed \u201cConsent for Treatment\u201d (by Jane Doe, parent)");

        // Each record has its own tasks: Lee's consent is still to sign, and so is Jane's own.
        var asLee = await SwitchTo(asSam, lee.ClientId);
        (await Json<Shown>(asLee, HttpMethod.Get, $"/api/portal/documents/{documentId}", null, 200)).NeedsSignature.ShouldBeTrue();
        var asJane = await SwitchTo(asLee, jane.ClientId);
        (await Json<Shown>(asJane, HttpMethod.Get, $"/api/portal/documents/{documentId}", null, 200)).NeedsSignature.ShouldBeTrue();
        (await Json<Shown>(asSam, HttpMethod.Get, $"/api/portal/documents/{documentId}", null, 200)).NeedsSignature.ShouldBeFalse();

        // Her own record: she signs as herself, nothing says "on behalf".
        await Tracked(asJane, HttpMethod.Post, $"/api/portal/documents/{documentId}/signatures",
            new { version = shown.Version, contentHash = shown.ContentHash, fullName = "Jane Doe", agreeToSignElectronically = true }, 201);
        await using (var session = OpenSession())
        {
            var own = (await session.Events.QueryRawEventDataOnly<DocumentSigned>().ToListAsync()).Single(s => s.ClientId == jane.ClientId);
            own.SignedFor.ShouldBeNull();
        }
    }

    [Fact]
    public async Task The_switch_is_refused_for_a_record_the_login_does_not_act_for_and_the_cookie_keeps_its_record()
    {
        var (provider, jane, sam, _) = await Family();
        var stranger = await Host.AddClientAsync(provider, "Kim", "Other");
        var contact = await AddContact(provider, sam.ClientId, "Jane Doe", jane.Email);
        await Activate(await InviteContact(provider, sam.ClientId, contact.ContactId), SamBorn, jane.Password!);
        var login = await Host.SignInAgainAsync(jane);

        await Send(login, HttpMethod.Post, "/api/account/acting-for", new { clientId = stranger.ClientId }, 404);
        await Send(login, HttpMethod.Post, "/api/account/acting-for", new { clientId = Guid.Empty }, 400);
        (await Json<ActingForBody>(login, HttpMethod.Get, "/api/account/acting-for", null, 200)).Records
            .Single(r => r.Current).ClientId.ShouldBe(jane.ClientId);
        // Staff have no records to act for.
        await Send(provider, HttpMethod.Post, "/api/account/acting-for", new { clientId = sam.ClientId }, 403);
    }

    [Fact]
    public async Task A_contact_without_complete_tasks_reads_but_gets_403_on_submitting_and_no_contact_changes_the_login_email()
    {
        var (provider, _, sam, _) = await Family();
        var grandpa = await AddContact(provider, sam.ClientId, "Alex Doe", "alex.doe@portal.test", completesTasks: false, relationship: "Other");
        // A new login: the person chooses a password; the child's date of birth proves they are who the practice invited.
        var token = await InviteContact(provider, sam.ClientId, grandpa.ContactId);
        await Activate(token, new DateOnly(2015, 3, 3), Actors.DefaultPassword, 400);
        await Activate(token, SamBorn, Actors.DefaultPassword);
        var (cookie, _) = await Host.SignInAsync("alex.doe@portal.test", Actors.DefaultPassword);
        var login = new Cookie(cookie);

        var list = await Json<ActingForBody>(login, HttpMethod.Get, "/api/account/acting-for", null, 200);
        list.Records.ShouldHaveSingleItem().ShouldBe(new ActingForItemBody(sam.ClientId, "Sam Doe", "Other", "contact", false, true));

        var documentId = await PublishedDocument(provider, "Privacy policy");
        var shown = await Json<Shown>(login, HttpMethod.Get, $"/api/portal/documents/{documentId}", null, 200);
        var refused = await Send(login, HttpMethod.Post, $"/api/portal/documents/{documentId}/signatures",
            new { version = shown.Version, contentHash = shown.ContentHash, fullName = "Alex Doe", agreeToSignElectronically = true }, 403);
        (await refused.ReadAsJsonAsync<ProblemBody>())!.Title.ShouldBe("You can read these tasks but not complete them.");
        await Send(login, HttpMethod.Post, "/api/portal/email-change", new { newEmail = "sam.new@portal.test" }, 403);
        await using var session = OpenSession();
        (await session.Events.QueryRawEventDataOnly<DocumentSigned>().ToListAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_parent_acting_for_one_child_reads_whose_record_it_is_on_the_portal_home()
    {
        var (provider, jane, sam, _) = await Family();
        var parent = await AddContact(provider, sam.ClientId, "Robin Doe", "robin.doe@portal.test");
        await Activate(await InviteContact(provider, sam.ClientId, parent.ContactId), SamBorn, Actors.DefaultPassword);
        var (cookie, _) = await Host.SignInAsync("robin.doe@portal.test", Actors.DefaultPassword);

        // One record and no switch to offer, yet the home still says whose record the parent is acting for.
        var home = await Host.GetAsText("/portal", new Cookie(cookie));
        home.ShouldContain("You are acting for:");
        home.ShouldContain("<strong data-acting-for>Sam Doe</strong>");
        home.ShouldNotContain("acting-for-select");
        // A client acting for their own single record is not told so.
        (await Host.GetAsText("/portal", jane)).ShouldNotContain("You are acting for:");
    }

    private sealed record ProblemBody(string Title, Dictionary<string, string[]>? Errors);

    [Fact]
    public async Task Front_office_manages_contacts_with_field_errors_and_the_card_rule_and_a_removed_contact_stops_acting()
    {
        var (provider, jane, sam, _) = await Family();
        var biller = await Host.NewMemberAsync(provider, StaffRole.Biller);
        var otherPractice = await Host.NewProviderAsync();

        var invalid = await Send(provider, HttpMethod.Post, $"/api/console/clients/{sam.ClientId}/contacts",
            new { name = "", email = "not-an-email", relationship = "Parent" }, 400);
        (await invalid.ReadAsJsonAsync<ProblemBody>())!.Errors!.Keys.Select(k => k.ToLowerInvariant()).ShouldBe(["name", "email"], ignoreOrder: true);
        await Send(provider, HttpMethod.Post, $"/api/console/clients/{sam.ClientId}/contacts",
            new { name = "Sam Doe", email = sam.Email, relationship = "Parent" }, 400);
        await Send(biller, HttpMethod.Post, $"/api/console/clients/{sam.ClientId}/contacts",
            new { name = "Jane Doe", email = jane.Email, relationship = "Parent" }, 403);
        await Send(otherPractice, HttpMethod.Post, $"/api/console/clients/{sam.ClientId}/contacts",
            new { name = "Jane Doe", email = jane.Email, relationship = "Parent" }, 404);
        await Send(otherPractice, HttpMethod.Get, $"/api/console/clients/{sam.ClientId}/contacts", null, 404);

        var contact = await AddContact(provider, sam.ClientId, "Jane Doe", jane.Email);
        await Send(provider, HttpMethod.Post, $"/api/console/clients/{sam.ClientId}/contacts",
            new { name = "Jane Doe", email = jane.Email, relationship = "Parent" }, 409);
        await Activate(await InviteContact(provider, sam.ClientId, contact.ContactId), SamBorn, jane.Password!);
        var login = await Host.SignInAgainAsync(jane);
        var asSam = await SwitchTo(login, sam.ClientId);

        await TrackedScenario(s =>
        {
            s.As(provider);
            s.Delete.Url($"/api/console/clients/{sam.ClientId}/contacts/{contact.ContactId}");
            s.StatusCodeShouldBe(204);
        });
        // The cookie named Sam as hers to act for: it ends, and her next sign-in lists only her own record.
        await Send(asSam, HttpMethod.Get, "/api/account/me", null, 401);
        var again = await Host.SignInAgainAsync(jane);
        (await Json<ActingForBody>(again, HttpMethod.Get, "/api/account/acting-for", null, 200)).Records
            .Select(r => r.ClientName).ShouldBe(["Jane Doe"]);
        (await Json<List<ContactBody>>(biller, HttpMethod.Get, $"/api/console/clients/{sam.ClientId}/contacts", null, 200)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_minor_at_the_practice_age_is_invited_at_their_own_email_and_a_parent_completes_only_the_kinds_the_owner_allows()
    {
        var provider = await Host.NewProviderAsync();
        var frontDesk = await Host.NewMemberAsync(provider, StaffRole.FrontDesk);
        var today = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
        var jane = await Host.NewClientWithAccountAsync(provider, "Jane", "Doe");
        var robin = await Host.AddClientAsync(provider, "Robin", "Doe", today.AddYears(-14));
        var lee = await Host.AddClientAsync(provider, "Lee", "Doe", today.AddYears(-9));

        // Only the owner sets the rule; an age out of range is refused naming the field.
        var minors = new { ownLoginFromAge = 13, guardianCompletes = new[] { "AddInsurance", "EnrollInAutopay" } };
        await Send(frontDesk, HttpMethod.Put, "/api/console/practice/minors", minors, 403);
        var invalid = await Send(provider, HttpMethod.Put, "/api/console/practice/minors", new { ownLoginFromAge = 40, guardianCompletes = Array.Empty<string>() }, 400);
        (await invalid.ReadAsJsonAsync<ProblemBody>())!.Errors!.Keys.Select(k => k.ToLowerInvariant()).ShouldBe(["ownloginfromage"]);
        await Tracked(provider, HttpMethod.Put, "/api/console/practice/minors", minors, 200);

        // Lee (9) gets no login of his own; Robin (14) is invited at her own email.
        var refused = await Send(frontDesk, HttpMethod.Post, $"/api/console/clients/{lee.ClientId}/invitation", null, 409);
        (await refused.ReadAsTextAsync()).ShouldContain("MinorUnderOwnLoginAge");
        var (invited, _) = await Tracked(frontDesk, HttpMethod.Post, $"/api/console/clients/{robin.ClientId}/invitation", null, 200);
        Published<InvitationEmailRequested>(invited).ShouldHaveSingleItem().Email.ShouldBe(robin.Email);

        foreach (var child in new[] { robin, lee })
        {
            var contact = await AddContact(frontDesk, child.ClientId, "Jane Doe", jane.Email);
            await Activate(await InviteContact(frontDesk, child.ClientId, contact.ContactId), child.DateOfBirth, jane.Password!);
        }
        var login = await Host.SignInAgainAsync(jane);
        var documentId = await PublishedDocument(provider, "Practice policies");
        async Task<IScenarioResult> Sign(ISignedIn actingFor, int status)
        {
            var shown = await Json<Shown>(actingFor, HttpMethod.Get, $"/api/portal/documents/{documentId}", null, 200);
            return await Send(actingFor, HttpMethod.Post, $"/api/portal/documents/{documentId}/signatures",
                new { version = shown.Version, contentHash = shown.ContentHash, fullName = "Jane Doe", agreeToSignElectronically = true }, status);
        }

        var forRobin = await Sign(await SwitchTo(login, robin.ClientId), 403);
        var problem = (await forRobin.ReadAsJsonAsync<ProblemDetailBody>())!;
        problem.Title.ShouldBe("Robin Doe does this task themselves now.");
        problem.Detail.ShouldEndWith("As their parent you can still complete: insurance, autopay.");
        await Sign(await SwitchTo(login, lee.ClientId), 201);
    }

    private sealed record ProblemDetailBody(string Title, string Detail);
}

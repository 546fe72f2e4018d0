using Alba;
using Marten;
using Portal.BuildingBlocks.Auditing;
using Portal.Contracts;
using Portal.Tests.Forms;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Contacts;

/// <summary>
/// The rest of contacts (issue #33 item 3 and 5): a child added without an email and a guardian invited instead; the
/// record's client emails to contacts who receive emails; "see results" enforced; audit lines naming who acted for whom.
/// </summary>
public sealed class ContactEmailsAndResultsTests(PortalFixture fixture) : FormsTest(fixture)
{
    private static readonly DateOnly SamBorn = new(2019, 3, 2);

    private sealed record Added(Guid ClientId, bool Eligible, Guid? GuardianContactId);
    private sealed record ProblemBody(string Title, Dictionary<string, string[]>? Errors);
    private sealed record Listed(Guid DocumentId, Guid? SignatureId, bool NeedsSignature);
    private sealed record Shown(Guid DocumentId, int Version, string ContentHash, bool NeedsSignature, Guid? SignatureId, bool SignedThisVersion);
    private sealed record Signed(Guid SignatureId);
    private sealed record Saved(Guid DocumentId, int Revision);

    private sealed record Cookie(string Value) : ISignedIn
    {
        string ISignedIn.Cookie => Value;
    }

    private static string Unique() => Guid.NewGuid().ToString("N")[..10];

    private TaskRequested TaskOf(Guid clientId, ProviderActor provider, TaskKind kind, string title) =>
        new(Guid.NewGuid(), Guid.NewGuid(), clientId, provider.ProviderId, kind, title, null, Clock.GetUtcNow(), null);

    private async Task<(ProviderActor Provider, Guid Sam, Guid GuardianId, string GuardianEmail)> ChildWithoutEmail()
    {
        var provider = await Host.NewProviderAsync();
        var guardianEmail = $"jane-{Unique()}@portal.test";
        var (_, result) = await Tracked(provider, HttpMethod.Post, "/api/console/clients", new
        {
            firstName = "Sam", lastName = "Doe", email = "", dateOfBirth = SamBorn,
            guardian = new { name = "Jane Doe", email = guardianEmail, relationship = "Parent" },
        }, 201);
        var added = (await result.ReadAsJsonAsync<Added>())!;
        return (provider, added.ClientId, added.GuardianContactId.ShouldNotBeNull(), guardianEmail);
    }

    private string TokenOf(Wolverine.Tracking.ITrackedSession tracked, string email) =>
        Host.TokenFrom(Published<InvitationEmailRequested>(tracked).Where(e => e.Email == email).ShouldHaveSingleItem().ActivationLink);

    private Task Activate(string token) =>
        TrackedScenario(s =>
        {
            s.Post.Json(new { token, dateOfBirth = SamBorn, password = Actors.DefaultPassword }).ToUrl("/api/account/activate");
            s.StatusCodeShouldBe(200);
        });

    [Fact]
    public async Task A_client_without_an_email_needs_a_parent_or_guardian_and_the_request_names_the_field()
    {
        var provider = await Host.NewProviderAsync();
        var noOne = await Send(provider, HttpMethod.Post, "/api/console/clients",
            new { firstName = "Sam", lastName = "Doe", email = "", dateOfBirth = SamBorn }, 400);
        (await noOne.ReadAsJsonAsync<ProblemBody>())!.Errors!.Keys.Select(k => k.ToLowerInvariant()).ShouldBe(["email"]);

        var partner = await Send(provider, HttpMethod.Post, "/api/console/clients", new
        {
            firstName = "Sam", lastName = "Doe", dateOfBirth = SamBorn,
            guardian = new { name = "Alex Doe", email = "not-an-email", relationship = "Partner" },
        }, 400);
        (await partner.ReadAsJsonAsync<ProblemBody>())!.Errors!.Keys.Select(k => k.ToLowerInvariant())
            .ShouldBe(["guardian.email", "guardian.relationship"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_child_without_an_email_has_the_guardian_invited_on_the_first_task_and_the_guardian_gets_the_record_s_emails()
    {
        var (provider, sam, guardianId, guardianEmail) = await ChildWithoutEmail();

        // The first task request invites the guardian (not the child, who has no address); a second one while the link is
        // pending sends nothing more.
        var first = await Host.PublishAndWaitAsync([new TasksRequested(Guid.NewGuid(),
            [TaskOf(sam, provider, TaskKind.SignDocument, "Consent for treatment")])]);
        var token = TokenOf(first, guardianEmail);
        var again = await Host.PublishAndWaitAsync([new TasksRequested(Guid.NewGuid(),
            [TaskOf(sam, provider, TaskKind.SignDocument, "Practice policies")])]);
        Published<InvitationEmailRequested>(again).ShouldBeEmpty();
        var noEmail = await Send(provider, HttpMethod.Post, $"/api/console/clients/{sam}/invitation", null, 409);
        (await noEmail.ReadAsTextAsync()).ShouldContain("NoEmail");
        // The profile offers no invitation the client cannot receive, and says who is invited instead.
        var profile = await Host.OpenPageAsync(provider, $"/console/clients/{sam}");
        profile.Html.ShouldContain("none on file");
        profile.Html.ShouldContain("guardian is invited instead");
        profile.Html.ShouldNotContain(">Send invitation<");

        await Activate(token);
        Mail.Clear();

        // Her login is active and she receives emails: she hears of the next batch and of reminders, naming Sam, no titles.
        await Host.PublishAndWaitAsync([new TasksRequested(Guid.NewGuid(),
        [
            TaskOf(sam, provider, TaskKind.AddInsurance, "Add insurance"),
            TaskOf(sam, provider, TaskKind.CompleteAssessment, "PHQ-9 depression screening"),
        ])]);
        var asked = Mail.To(guardianEmail).ToList().ShouldHaveSingleItem();
        asked.Subject.ShouldBe($"{provider.PracticeName}: Sam's provider has asked you to complete 2 tasks");
        asked.TextBody.ShouldNotBeNull().ShouldContain(
            $"{provider.Name} at {provider.PracticeName} has asked you to complete 2 tasks for Sam: add their insurance details and answer a questionnaire.");
        asked.TextBody.ShouldContain("Hello Jane,");
        foreach (var body in new[] { asked.TextBody!, asked.HtmlBody.ShouldNotBeNull(), asked.Subject! })
        {
            body.ShouldNotContain("PHQ", Case.Insensitive);
            body.ShouldNotContain("depression", Case.Insensitive);
        }
        await Host.PublishAndWaitAsync([new TaskReminderDue(Guid.NewGuid(), Guid.NewGuid(), sam, "PHQ-9", 1, null, TaskKind.CompleteAssessment)]);
        Mail.To(guardianEmail).Count().ShouldBe(2);
        Mail.To(guardianEmail).Last().Subject.ShouldBe($"Reminder from {provider.PracticeName}: a task for Sam is waiting");

        // Without "receive emails" she gets none of them.
        await Tracked(provider, HttpMethod.Put, $"/api/console/clients/{sam}/contacts/{guardianId}", new
        {
            name = "Jane Doe", email = guardianEmail, relationship = "Parent", completesTasks = true, seesResults = true, receivesEmails = false,
        }, 200);
        Mail.Clear();
        await Host.PublishAndWaitAsync([new TasksRequested(Guid.NewGuid(), [TaskOf(sam, provider, TaskKind.AddInsurance, "Add insurance")])]);
        await Host.PublishAndWaitAsync([new TaskReminderDue(Guid.NewGuid(), Guid.NewGuid(), sam, "Insurance", 1, null, TaskKind.AddInsurance)]);
        Mail.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_contact_of_a_record_whose_portal_is_off_or_whose_login_is_not_active_gets_no_email()
    {
        var (provider, sam, _, guardianEmail) = await ChildWithoutEmail();
        // Invited but never activated: no login, so no portal emails (the invitation is what she has to act on).
        await Host.PublishAndWaitAsync([new TasksRequested(Guid.NewGuid(), [TaskOf(sam, provider, TaskKind.SignDocument, "Consent")])]);
        Mail.Clear();
        await Host.PublishAndWaitAsync([new TaskReminderDue(Guid.NewGuid(), Guid.NewGuid(), sam, "Consent", 1, null, TaskKind.SignDocument)]);
        Mail.To(guardianEmail).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_contact_without_see_results_signs_but_never_gets_the_signed_copy_and_the_audit_names_whom_they_acted_for()
    {
        var (provider, sam, guardianId, guardianEmail) = await ChildWithoutEmail();
        await Tracked(provider, HttpMethod.Put, $"/api/console/clients/{sam}/contacts/{guardianId}", new
        {
            name = "Jane Doe", email = guardianEmail, relationship = "Parent", completesTasks = true, seesResults = false, receivesEmails = true,
        }, 200);
        var (sent, _) = await Tracked(provider, HttpMethod.Post, $"/api/console/clients/{sam}/contacts/{guardianId}/invitation", null, 200);
        await Activate(TokenOf(sent, guardianEmail));
        var (cookie, login) = await Host.SignInAsync(guardianEmail, Actors.DefaultPassword);
        var jane = new Cookie(cookie);

        var saved = await Json<Saved>(provider, HttpMethod.Post, "/api/documents", new { title = "Consent", markdown = "We keep records private." }, 201);
        await Tracked(provider, HttpMethod.Post, $"/api/documents/{saved.DocumentId}/publish",
            new { revision = saved.Revision, requireExistingSignersToSignAgain = false }, 200);
        var shown = await Json<Shown>(jane, HttpMethod.Get, $"/api/portal/documents/{saved.DocumentId}", null, 200);
        var (_, signing) = await Tracked(jane, HttpMethod.Post, $"/api/portal/documents/{saved.DocumentId}/signatures",
            new { version = shown.Version, contentHash = shown.ContentHash, fullName = "Jane Doe", agreeToSignElectronically = true }, 201);
        var signatureId = (await signing.ReadAsJsonAsync<Signed>())!.SignatureId;

        // Signed, but the signed copy is a result: no link to it, 403 on the API and on the page.
        var after = await Json<Shown>(jane, HttpMethod.Get, $"/api/portal/documents/{saved.DocumentId}", null, 200);
        (after.SignedThisVersion, after.SignatureId).ShouldBe((true, (Guid?)null));
        (await Json<List<Listed>>(jane, HttpMethod.Get, "/api/portal/documents", null, 200)).ShouldHaveSingleItem().SignatureId.ShouldBeNull();
        var refused = await Send(jane, HttpMethod.Get, $"/api/portal/signatures/{signatureId}", null, 403);
        (await refused.ReadAsJsonAsync<ProblemBody>())!.Title.ShouldBe("The practice does not share results with you.");
        var page = await Send(jane, HttpMethod.Get, $"/portal/documents/signatures/{signatureId}", null, 403);
        (await page.ReadAsTextAsync()).ShouldNotContain("We keep records private.");

        await using (var session = OpenSession())
        {
            var lines = await session.Query<AuditEntry>().Where(e => e.ClientId == sam && e.ActorRelationship != null).ToListAsync();
            lines.ShouldNotBeEmpty();
            lines.ShouldAllBe(e => e.ActingForClientId == sam && e.ActorRelationship == "parent" && e.ActorId == login);
        }

        // With "see results" (a new sign-in: the change ends her sessions) the copy is hers to read.
        await Tracked(provider, HttpMethod.Put, $"/api/console/clients/{sam}/contacts/{guardianId}", new
        {
            name = "Jane Doe", email = guardianEmail, relationship = "Parent", completesTasks = true, seesResults = true, receivesEmails = true,
        }, 200);
        var (again, _) = await Host.SignInAsync(guardianEmail, Actors.DefaultPassword);
        var seeing = new Cookie(again);
        (await Json<Shown>(seeing, HttpMethod.Get, $"/api/portal/documents/{saved.DocumentId}", null, 200)).SignatureId.ShouldBe(signatureId);
        await Send(seeing, HttpMethod.Get, $"/api/portal/signatures/{signatureId}", null, 200);
        var shownPage = await Send(seeing, HttpMethod.Get, $"/portal/documents/signatures/{signatureId}", null, 200);
        (await shownPage.ReadAsTextAsync()).ShouldContain("We keep records private.");
    }
}

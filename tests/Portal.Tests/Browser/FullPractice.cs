using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Contracts;
using Wolverine.Tracking;

namespace Portal.Tests.Browser;

/// <summary>
/// A practice with something on every page, each person signed in in their own browser context: the owner, a
/// clinician on the client's care team, a front desk, a biller, support, the client, and a parent who acts for the
/// client. The client has done a workflow with a task of each kind (signed a document, filled a form, answered the
/// PHQ-9 with a safety answer, added insurance, enrolled in autopay) and has one open request of each kind, a charge,
/// a contact, an email change waiting; a second client is invited and not yet active, a member is invited.
/// </summary>
internal sealed class FullPractice : IAsyncDisposable
{
    private static readonly DateOnly ClientBorn = new(1990, 4, 17);

    public required IReadOnlyDictionary<string, IBrowserContext> Roles { get; init; }
    public required Guid PracticeId { get; init; }
    public required Guid ClientId { get; init; }
    /// <summary>The main client's activation token, already used: the "expired or already used" page.</summary>
    public required string UsedActivationToken { get; init; }
    /// <summary>The second client's activation token, not used yet.</summary>
    public required string FreshActivationToken { get; init; }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in Roles.Values) await context.DisposeAsync();
    }

    public static async Task<FullPractice> SeedAsync(BrowserFixture fixture)
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        string Email(string who) => $"{who}-{unique}@portal.test";
        var roles = new Dictionary<string, IBrowserContext>();

        await using (var session = fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, Email("support"), BrowserJourney.Password,
                "Sam Support", fixture.Services.GetRequiredService<TimeProvider>());
        var support = roles["support"] = await SignedInAsync(fixture, Email("support"));

        var practice = await Tracked(fixture, support, "POST", "/api/support/practices",
            new { practiceName = $"Harbor Counseling {unique}", providerName = "Pat Owner", providerEmail = Email("owner") }, 201);
        var practiceId = practice.GetProperty("practiceId").GetGuid();
        var ownerId = practice.GetProperty("providerId").GetGuid();
        await Tracked(fixture, support, "PUT", $"/api/support/providers/{ownerId}/portal-access", new { enabled = true }, 200);
        await BrowserJourney.SendAsync(support, "PUT", $"/api/support/providers/{ownerId}/password",
            new { password = BrowserJourney.Password }, 204);
        var owner = roles["owner"] = await SignedInAsync(fixture, Email("owner"));

        var members = new Dictionary<string, Guid>();
        foreach (var (role, name) in new[] { ("Clinician", "Cam Clinician"), ("FrontDesk", "Frankie Desk"), ("Biller", "Bea Biller") })
        {
            var added = await Tracked(fixture, support, "POST", $"/api/support/practices/{practiceId}/providers",
                new { name, email = Email(role.ToLowerInvariant()), role }, 201);
            members[role] = added.GetProperty("providerId").GetGuid();
            await BrowserJourney.SendAsync(support, "PUT", $"/api/support/providers/{members[role]}/password",
                new { password = BrowserJourney.Password }, 204);
        }
        roles["clinician"] = await SignedInAsync(fixture, Email("clinician"));
        roles["front-desk"] = await SignedInAsync(fixture, Email("frontdesk"));
        roles["biller"] = await SignedInAsync(fixture, Email("biller"));
        // A member invited by the owner who has not activated yet.
        await Tracked(fixture, owner, "POST", "/api/console/practice/members",
            new { name = "Ivy Invited", email = Email("invited"), role = "Clinician" }, 201);

        // The client, on the clinician's care team, invited and active.
        var added1 = await Tracked(fixture, owner, "POST", "/api/console/clients",
            new { firstName = "Avery", lastName = "Adams", email = Email("client"), dateOfBirth = ClientBorn }, 201);
        var clientId = added1.GetProperty("clientId").GetGuid();
        await Tracked(fixture, owner, "POST", $"/api/console/clients/{clientId}/care-team", new { memberId = members["Clinician"] }, null);
        var usedToken = Token(fixture, await TrackedSession(fixture, owner, "POST", $"/api/console/clients/{clientId}/invitation", null, 200),
            clientId);
        var client = await BrowserJourney.NewContextAsync(fixture);
        await Tracked(fixture, client, "POST", "/api/account/activate",
            new { token = usedToken, dateOfBirth = ClientBorn, password = BrowserJourney.Password }, 200);
        await BrowserJourney.SendAsync(client, "POST", "/api/account/sign-in",
            new { email = Email("client"), password = BrowserJourney.Password }, 200);
        roles["client"] = client;

        // A second client invited, not active: the fresh activation link.
        var added2 = await Tracked(fixture, owner, "POST", "/api/console/clients",
            new { firstName = "Blake", lastName = "Brown", email = Email("second"), dateOfBirth = new DateOnly(1984, 2, 9) }, 201);
        var secondId = added2.GetProperty("clientId").GetGuid();
        var freshToken = Token(fixture, await TrackedSession(fixture, owner, "POST", $"/api/console/clients/{secondId}/invitation", null, 200),
            secondId);

        // A parent contact who sees results, invited and active: she acts for the client.
        var contact = await Tracked(fixture, owner, "POST", $"/api/console/clients/{clientId}/contacts",
            new { name = "Jordan Adams", email = Email("parent"), relationship = "Parent", seesResults = true }, 201);
        var contactToken = Token(fixture, await TrackedSession(fixture, owner, "POST",
            $"/api/console/clients/{clientId}/contacts/{contact.GetProperty("contactId").GetGuid()}/invitation", null, 200), clientId);
        var parent = await BrowserJourney.NewContextAsync(fixture);
        await Tracked(fixture, parent, "POST", "/api/account/activate",
            new { token = contactToken, dateOfBirth = ClientBorn, password = BrowserJourney.Password }, 200);
        await BrowserJourney.SendAsync(parent, "POST", "/api/account/sign-in",
            new { email = Email("parent"), password = BrowserJourney.Password }, 200);
        roles["parent"] = parent;

        // What the workflow asks for: a document, a form, an assessment, insurance and autopay.
        var documentId = await PublishedDocumentAsync(fixture, owner, "Practice policies");
        var secondDocumentId = await PublishedDocumentAsync(fixture, owner, "Telehealth consent");
        var form = await Tracked(fixture, owner, "POST", "/api/forms", new
        {
            title = "New client intake",
            schema = new
            {
                sections = new object[]
                {
                    new { key = "about", title = "About you", fields = new object[]
                    {
                        new { key = "concern", label = "What brings you here?", type = "ShortText", required = true, maxLength = 200 },
                        new { key = "before", label = "Have you had therapy before?", type = "YesNo", required = true },
                    } },
                },
            },
        }, 201);
        var formId = form.GetProperty("formId").GetGuid();
        await Tracked(fixture, owner, "POST", $"/api/forms/{formId}/publish", new { revision = form.GetProperty("revision").GetInt32() }, 200);

        var workflow = await Tracked(fixture, owner, "POST", "/api/workflows", new
        {
            name = "New client intake",
            stages = new object[]
            {
                new { name = "Before the first session", tasks = new object[]
                {
                    new { key = "policies", kind = "SignDocument", subjectId = documentId.ToString(), dueInDays = 5 },
                    new { key = "intake", kind = "CompleteIntakeForm", subjectId = formId.ToString(), dueInDays = 5 },
                    new { key = "phq9", kind = "CompleteAssessment", subjectId = "phq9", dueInDays = 5 },
                    new { key = "insurance", kind = "AddInsurance", dueInDays = 5 },
                    new { key = "autopay", kind = "EnrollInAutopay", dueInDays = 5 },
                } },
            },
        }, 201);
        var workflowId = workflow.GetProperty("id").GetGuid();
        await BrowserJourney.SendAsync(owner, "POST",
            $"/api/workflows/{workflowId}/publish?expectedRevision={workflow.GetProperty("revision").GetInt32()}", null, 200);
        await Tracked(fixture, owner, "POST", $"/api/workflows/{workflowId}/assignments", new { clientIds = new[] { clientId } }, 200);

        // The client does every task of the workflow.
        var shown = await BrowserJourney.SendAsync(client, "GET", $"/api/portal/documents/{documentId}", null, 200);
        await Tracked(fixture, client, "POST", $"/api/portal/documents/{documentId}/signatures", new
        {
            version = shown.GetProperty("version").GetInt32(), contentHash = shown.GetProperty("contentHash").GetString(),
            fullName = "Avery Adams", agreeToSignElectronically = true,
        }, 201);
        await Tracked(fixture, client, "POST", $"/api/portal/forms/{formId}/responses",
            new { version = 1, answers = new { concern = "Sleeping badly since the move", before = false } }, 201);
        await Tracked(fixture, client, "POST", "/api/portal/assessments/phq9", new { answers = new[] { 2, 1, 2, 1, 1, 0, 1, 0, 1 } }, 201);
        await Tracked(fixture, client, "PUT", "/api/insurance/plans/primary", new
        {
            expectedVersion = 0, payerId = "aetna", planName = "Open Access", memberId = "W123456789", groupNumber = "0098765",
            subscriber = new { isClient = true },
        }, 200);
        var expiry = DateTime.UtcNow.AddYears(2);
        var card = await BrowserJourney.SendAsync(client, "POST", "/sandbox-gateway/tokens",
            new { number = "4242424242424242", expMonth = expiry.Month, expYear = expiry.Year, cvc = "123" }, 200);
        await Tracked(fixture, client, "POST", "/api/autopay/enrolment", new
        {
            cardToken = card.GetProperty("token").GetString(), cardholderName = "Avery Adams", billingPostalCode = "97201",
            consentVersion = Portal.Tests.Autopay.AutopayTest.Consent, agreedToAuthorization = true,
        }, 200);
        await Tracked(fixture, owner, "POST", $"/api/autopay/clients/{clientId}/charges",
            new { amountCents = 12500, description = "Session on Dec 1", idempotencyKey = $"seed-{unique}" }, null);

        // Open requests of each kind, so the client's task list and the console's waiting lists have open work too.
        foreach (var request in new object[]
                 {
                     new { kind = "SignDocument", subjectId = secondDocumentId.ToString(), dueInDays = 7 },
                     new { kind = "CompleteAssessment", subjectId = "gad7", dueInDays = 7 },
                     new { kind = "CompleteIntakeForm", subjectId = formId.ToString(), dueInDays = 7 },
                     new { kind = "AddInsurance", title = "Add your secondary insurance", dueInDays = 7 },
                     new { kind = "EnrollInAutopay", title = "Update your card", dueInDays = 7 },
                 })
            await Tracked(fixture, owner, "POST", $"/api/clients/{clientId}/requests", request, 201);

        // An email change that waits for the practice's approval.
        await Tracked(fixture, client, "POST", "/api/portal/email-change", new { newEmail = Email("client-new") }, 202);

        return new FullPractice
        {
            Roles = roles, PracticeId = practiceId, ClientId = clientId, UsedActivationToken = usedToken, FreshActivationToken = freshToken,
        };
    }

    /// <summary>Support adds a front desk with a password and no second factor yet; returns the email.</summary>
    public async Task<string> NewMemberWithoutSecondFactorAsync(BrowserFixture fixture)
    {
        var email = $"new-member-{Guid.NewGuid():N}@portal.test";
        var added = await Tracked(fixture, Roles["support"], "POST", $"/api/support/practices/{PracticeId}/providers",
            new { name = "Nico New", email, role = "FrontDesk" }, 201);
        await BrowserJourney.SendAsync(Roles["support"], "PUT", $"/api/support/providers/{added.GetProperty("providerId").GetGuid()}/password",
            new { password = BrowserJourney.Password }, 204);
        return email;
    }

    private static async Task<Guid> PublishedDocumentAsync(BrowserFixture fixture, IBrowserContext owner, string title)
    {
        var document = await Tracked(fixture, owner, "POST", "/api/documents",
            new { title, markdown = "Cancel **24 hours** ahead or the session is charged." }, 201);
        var documentId = document.GetProperty("documentId").GetGuid();
        await Tracked(fixture, owner, "POST", $"/api/documents/{documentId}/publish",
            new { revision = document.GetProperty("revision").GetInt32(), requireExistingSignersToSignAgain = false }, 200);
        return documentId;
    }

    private static async Task<IBrowserContext> SignedInAsync(BrowserFixture fixture, string email)
    {
        var context = await BrowserJourney.NewContextAsync(fixture);
        await BrowserJourney.SendAsync(context, "POST", "/api/account/sign-in", new { email, password = BrowserJourney.Password }, 200);
        return context;
    }

    /// <summary>A call whose cascaded work (rosters, emails, notifications) is finished before the next one.</summary>
    private static async Task<JsonElement> Tracked(BrowserFixture fixture, IBrowserContext context, string method, string url,
        object? body, int? status)
    {
        JsonElement answer = default;
        await BrowserJourney.TrackedAsync(fixture, async () => answer = await SendAsync(context, method, url, body, status));
        return answer;
    }

    private static async Task<ITrackedSession> TrackedSession(BrowserFixture fixture, IBrowserContext context, string method,
        string url, object? body, int status) =>
        await BrowserJourney.TrackedAsync(fixture, () => BrowserJourney.SendAsync(context, method, url, body, status));

    /// <summary>Any 2xx when <paramref name="status"/> is null (a call whose exact answer is not what the seed is about).</summary>
    private static async Task<JsonElement> SendAsync(IBrowserContext context, string method, string url, object? body, int? status)
    {
        if (status is { } expected) return await BrowserJourney.SendAsync(context, method, url, body, expected);
        var options = new APIRequestContextOptions { Method = method, Headers = new Dictionary<string, string> { ["Accept"] = "application/json" } };
        if (body is not null) options.DataObject = body;
        var response = await context.APIRequest.FetchAsync(url, options);
        var text = await response.TextAsync();
        response.Status.ShouldBeInRange(200, 299, $"{method} {url}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Token(BrowserFixture fixture, ITrackedSession tracked, Guid clientId)
    {
        var link = tracked.AllRecordsInOrder().Select(r => r.Message).OfType<InvitationEmailRequested>()
            .Last(e => e.ClientId == clientId).ActivationLink;
        var url = new Uri(fixture.Services.GetRequiredService<IDataProtectionProvider>()
            .CreateProtector("Portal.SecretLink").Unprotect(link.Protected));
        return url.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Single(p => p[0] == "token")[1];
    }
}

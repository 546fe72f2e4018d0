using System.Security.Claims;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Localization;
using Portal.Practice.CareTeams;
using Portal.Practice.Roster;

namespace Portal.Practice.Clients;

/// <summary>
/// A practice member adds a client to the roster, for a primary clinician: an active owner or clinician of the practice.
/// An owner or clinician who names nobody is the primary themselves; front desk must name one. No account yet: that
/// comes with the first task. A young child may have no email of their own: then a parent or legal guardian with one is
/// given in the same request, becomes the record's contact, and is the one invited (the client's own login waits until
/// the practice corrects the email to add one).
/// </summary>
public sealed record AddClientRequest(string FirstName, string LastName, string? Email, DateOnly DateOfBirth,
    Guid? PrimaryClinicianId = null, GuardianRequest? Guardian = null)
{
    /// <summary>The language the client reads the portal and its emails in ("en" or "es"); English when not given.</summary>
    public string? Language { get; init; }

    /// <summary>How the client pays ("insurance" or "selfPay"); left unset when the practice does not know yet.</summary>
    public ClientBilling? Billing { get; init; }
}

/// <summary>A parent or legal guardian added with the client, who may act for them in every way (changeable later).</summary>
public sealed record GuardianRequest(string Name, string Email, ContactRelationship Relationship = ContactRelationship.Parent,
    bool CompletesTasks = true, bool SeesResults = true, bool ReceivesEmails = true) : Contacts.IContactFields;

internal sealed record ClientAdded(Guid ClientId, bool Eligible)
{
    public Guid? GuardianContactId { get; init; }
}

internal sealed class GuardianValidator : AbstractValidator<GuardianRequest>
{
    public GuardianValidator()
    {
        Contacts.ContactRules.Apply(this);
        RuleFor(g => g.Relationship).Must(r => r is ContactRelationship.Parent or ContactRelationship.LegalGuardian)
            .WithMessage("A client without an email needs a parent or legal guardian.");
    }
}

internal sealed class AddClientValidator : AbstractValidator<AddClientRequest>
{
    public AddClientValidator(TimeProvider clock)
    {
        RuleFor(r => r.FirstName).NotEmpty().MaximumLength(100);
        RuleFor(r => r.LastName).NotEmpty().MaximumLength(100);
        RuleFor(r => r.Email).NotEmpty().When(r => r.Guardian is null)
            .WithMessage("Enter the client's email, or a parent or guardian with an email who acts for them.");
        RuleFor(r => r.Email).MaximumLength(254).EmailAddress().When(r => !string.IsNullOrWhiteSpace(r.Email));
        RuleFor(r => r.Guardian!).SetValidator(new GuardianValidator()).When(r => r.Guardian is not null);
        RuleFor(r => r.DateOfBirth)
            .Must(d => d > new DateOnly(1900, 1, 1) && d <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
            .WithMessage("Enter a real date of birth.");
        RuleFor(r => r.Language).Must(PortalLanguages.IsSupported).When(r => r.Language is not null)
            .WithMessage($"Choose one of the portal's languages: {string.Join(", ", PortalLanguages.Supported.Select(l => l.Code))}.");
    }
}

public static class AddClientEndpoint
{
    [WolverinePost("/api/console/clients")]
    [Authorize(Policy = PortalPolicies.FrontOffice)]
    public static async Task<(IResult, OutgoingMessages)> Post(AddClientRequest request, ClaimsPrincipal principal, IDocumentSession session,
        TimeProvider clock, HttpContext http)
    {
        var (outcome, messages) = await AddClient.ExecuteAsync(request, http, session, clock);
        return (outcome.ToResult(http, added => Results.Created($"/api/console/clients/{added.ClientId}", added)), messages);
    }
}

internal static class AddClient
{
    public static async Task<(Outcome<ClientAdded>, OutgoingMessages)> ExecuteAsync(AddClientRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock)
    {
        var user = CurrentUser.From(http.User)!;
        var caller = await session.LoadAsync<RosterProvider>(user.ProviderId!.Value);
        if (caller is null) return (Refusal.Forbidden("Your provider record was not found."), []);

        var primaryId = request.PrimaryClinicianId ?? (user.IsClinical ? caller.Id : Guid.Empty);
        if (primaryId == Guid.Empty)
            return (Refusal.Invalid("primaryClinicianId", "Choose the clinician this client will see."), []);
        var primary = await CareTeamRules.ClinicalMemberAsync(session, caller.PracticeId, primaryId, "primaryClinicianId");
        if (!primary.Succeeded) return (primary.Refusal, []);
        // Eligibility follows the primary clinician's portal switch, whoever added the client.
        var provider = primary.Value;

        var client = new RosterClient
        {
            Id = Guid.CreateVersion7(),
            ProviderId = provider.Id,
            PracticeId = provider.PracticeId,
            PracticeName = provider.PracticeName,
            FirstName = request.FirstName.Trim(),
            LastName = request.LastName.Trim(),
            Email = string.IsNullOrWhiteSpace(request.Email) ? string.Empty : EmailAddress.Normalize(request.Email),
            DateOfBirth = request.DateOfBirth,
            ProviderPortalEnabled = provider.PortalEnabled,
            CreatedAt = clock.GetUtcNow(),
            Language = request.Language ?? PortalLanguages.Default,
            Billing = request.Billing,
        };
        var changed = client.Changed();
        session.Store(client);
        if (request.Guardian is not { } guardian) return (new ClientAdded(client.Id, client.Eligible), [changed]);

        var contacts = new Contacts.ClientContacts { Id = client.Id, PracticeId = client.PracticeId };
        var email = EmailAddress.Normalize(guardian.Email);
        if (email == client.Email) return (Refusal.Invalid("guardian.email", "This is the client's own email. A guardian is another person."), []);
        var contact = contacts.Add(guardian.Name, email, guardian.Relationship, guardian.CompletesTasks, guardian.SeesResults,
            guardian.ReceivesEmails);
        var contactsChanged = contacts.Changed();
        session.Store(contacts);
        Audit.Record(session, http, clock, "client.contact.added", "ClientContact", contact.Id.ToString(), client.Id);
        return (new ClientAdded(client.Id, client.Eligible) { GuardianContactId = contact.Id }, [changed, contactsChanged]);
    }
}

using System.Security.Claims;
using Portal.Practice.CareTeams;
using Portal.Practice.Roster;

namespace Portal.Practice.Clients;

/// <summary>
/// A practice member adds a client to the roster, for a primary clinician: an active owner or clinician of the practice.
/// An owner or clinician who names nobody is the primary themselves; front desk must name one. No account and no email
/// yet: that comes with the first task.
/// </summary>
public sealed record AddClientRequest(string FirstName, string LastName, string Email, DateOnly DateOfBirth,
    Guid? PrimaryClinicianId = null);

internal sealed record ClientAdded(Guid ClientId, bool Eligible);

internal sealed class AddClientValidator : AbstractValidator<AddClientRequest>
{
    public AddClientValidator(TimeProvider clock)
    {
        RuleFor(r => r.FirstName).NotEmpty().MaximumLength(100);
        RuleFor(r => r.LastName).NotEmpty().MaximumLength(100);
        RuleFor(r => r.Email).NotEmpty().MaximumLength(254).EmailAddress();
        RuleFor(r => r.DateOfBirth)
            .Must(d => d > new DateOnly(1900, 1, 1) && d <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
            .WithMessage("Enter a real date of birth.");
    }
}

public static class AddClientEndpoint
{
    [WolverinePost("/api/console/clients")]
    [Authorize(Policy = PortalPolicies.FrontOffice)]
    public static async Task<(IResult, OutgoingMessages)> Post(AddClientRequest request, ClaimsPrincipal principal, IDocumentSession session,
        TimeProvider clock, HttpContext http)
    {
        var (outcome, messages) = await AddClient.ExecuteAsync(request, principal, session, clock);
        return (outcome.ToResult(http, added => Results.Created($"/api/console/clients/{added.ClientId}", added)), messages);
    }
}

internal static class AddClient
{
    public static async Task<(Outcome<ClientAdded>, OutgoingMessages)> ExecuteAsync(AddClientRequest request, ClaimsPrincipal principal,
        IDocumentSession session, TimeProvider clock)
    {
        var user = CurrentUser.From(principal)!;
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
            Email = EmailAddress.Normalize(request.Email),
            DateOfBirth = request.DateOfBirth,
            ProviderPortalEnabled = provider.PortalEnabled,
            CreatedAt = clock.GetUtcNow(),
        };
        var changed = client.Changed();
        session.Store(client);
        return (new ClientAdded(client.Id, client.Eligible), [changed]);
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Practice.CareTeams;
using Portal.Practice.Clients;
using Portal.Practice.Roster;
using Wolverine.Marten;

namespace Portal.Practice.Pages.Console;

[Authorize(Policy = PortalPolicies.FrontOffice)]
public sealed class NewClientModel(
    IDocumentSession session, TimeProvider clock, IMartenOutbox outbox, IValidator<AddClientRequest> validator) : PageModel
{
    [BindProperty]
    public string FirstName { get; set; } = string.Empty;

    [BindProperty]
    public string LastName { get; set; } = string.Empty;

    [BindProperty]
    public string Email { get; set; } = string.Empty;

    [BindProperty]
    public DateOnly? DateOfBirth { get; set; }

    /// <summary>The language the client reads the portal and its emails in.</summary>
    [BindProperty]
    public string Language { get; set; } = global::Portal.BuildingBlocks.Localization.PortalLanguages.Default;

    /// <summary>How the client pays; empty while the practice does not know.</summary>
    [BindProperty]
    public ClientBilling? Billing { get; set; }

    /// <summary>A parent or legal guardian who acts for the client; required when the client has no email.</summary>
    [BindProperty]
    public string? GuardianName { get; set; }

    [BindProperty]
    public string? GuardianEmail { get; set; }

    [BindProperty]
    public ContactRelationship GuardianRelationship { get; set; } = ContactRelationship.Parent;

    /// <summary>The clinician the client will see; an owner or clinician who leaves it empty is the primary themselves.</summary>
    [BindProperty]
    public Guid? PrimaryClinicianId { get; set; }

    /// <summary>The practice's active owners and clinicians, for the drop-down.</summary>
    public IReadOnlyList<RosterProvider> Clinicians { get; private set; } = [];

    public string? Message { get; private set; }

    public async Task OnGetAsync()
    {
        PrimaryClinicianId = CurrentUser.From(User) is { IsClinical: true, ProviderId: { } self } ? self : null;
        await LoadCliniciansAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var guardian = string.IsNullOrWhiteSpace(GuardianName) && string.IsNullOrWhiteSpace(GuardianEmail)
            ? null
            : new GuardianRequest(GuardianName ?? string.Empty, GuardianEmail ?? string.Empty, GuardianRelationship);
        var request = new AddClientRequest(FirstName ?? string.Empty, LastName ?? string.Empty, Email ?? string.Empty, DateOfBirth ?? default,
            PrimaryClinicianId, guardian) { Language = Language, Billing = Billing };
        if ((await validator.ValidateAsync(request)).AsRefusal() is { } invalid)
        {
            Message = string.Join(" ", invalid.Messages());
            await LoadCliniciansAsync();
            return Page();
        }

        var outcome = await outbox.CommitAsync(session, await AddClient.ExecuteAsync(request, HttpContext, session, clock));
        Message = outcome.Problem();
        if (outcome.Succeeded) return Redirect($"/console/clients/{outcome.Value.ClientId}");
        await LoadCliniciansAsync();
        return Page();
    }

    private async Task LoadCliniciansAsync()
    {
        var practiceId = CurrentUser.From(User)!.PracticeId;
        var members = await session.Query<RosterProvider>().Where(p => p.PracticeId == practiceId).ToListAsync();
        Clinicians = members.Where(CareTeamRules.IsClinical).OrderBy(p => p.Name).ToList();
    }
}

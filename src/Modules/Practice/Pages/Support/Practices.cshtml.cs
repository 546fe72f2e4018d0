using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Practice.Clients;
using Portal.Practice.Practices;
using Portal.Practice.Providers;
using Portal.Practice.Roster;
using Wolverine.Marten;

namespace Portal.Practice.Pages.Support;

/// <summary>Support creates practices and decides who the portal is open to: per provider, with per-client overrides.</summary>
[Authorize(Policy = PortalPolicies.Support)]
public sealed class PracticesModel(
    IDocumentSession session, TimeProvider clock, IMartenOutbox outbox, IValidator<CreatePracticeRequest> validator) : PageModel
{
    public IReadOnlyList<RosterProvider> Providers { get; private set; } = [];
    public IReadOnlyList<RosterPractice> Practices { get; private set; } = [];
    public IReadOnlyList<RosterClient> Clients { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostCreateAsync(string? practiceName, string? providerName, string? providerEmail)
    {
        var request = new CreatePracticeRequest(practiceName ?? string.Empty, providerName ?? string.Empty, providerEmail ?? string.Empty);
        if ((await validator.ValidateAsync(request)).AsRefusal() is { } invalid) Message = string.Join(" ", invalid.Messages());
        else
            Message = (await outbox.CommitAsync(session, await CreatePractice.ExecuteAsync(request, session, clock))).Problem()
                ?? "Practice created. Switch the portal on for the provider and set their initial password under Accounts.";
        await LoadAsync();
        return Page();
    }

    /// <summary>The add-member form, kept as typed when it is refused.</summary>
    [BindProperty]
    public Guid? PracticeId { get; set; }

    [BindProperty]
    public string? MemberName { get; set; }

    [BindProperty]
    public string? MemberEmail { get; set; }

    [BindProperty]
    public StaffRole? MemberRole { get; set; }

    /// <summary>
    /// Support adds a member with a role (their password is then set under Accounts, or they reset it): the slice of
    /// <c>POST /api/support/practices/{id}/providers</c>, each refusal beside its field.
    /// </summary>
    public async Task<IActionResult> OnPostAddMemberAsync([FromServices] IValidator<AddProviderRequest> memberValidator)
    {
        var request = new AddProviderRequest(MemberName ?? string.Empty, MemberEmail ?? string.Empty, MemberRole);
        var outcome = (await memberValidator.ValidateAsync(request)).AsRefusal() is { } invalid
            ? Outcome<ProviderAdded>.Refused(invalid)
            : PracticeId is not { } practiceId
                ? Refusal.Invalid("practiceId", "Choose the practice.")
                : await outbox.CommitAsync(session, await AddProvider.ExecuteAsync(practiceId, request, session));
        if (outcome.Succeeded)
        {
            Message = "Member added. Set their initial password under Accounts.";
            ModelState.Clear();
            (MemberName, MemberEmail, MemberRole) = (null, null, null);
        }
        else
        {
            ShowBesideFields(outcome.Refusal);
            Response.StatusCode = outcome.Status;
        }
        await LoadAsync();
        return Page();
    }

    // The slice names the request's fields (name, email, role); the form's are memberName, memberEmail, memberRole.
    // A taken email is the email's problem, so it is shown there too.
    private void ShowBesideFields(Refusal refusal)
    {
        ModelState.Clear();
        foreach (var (field, messages) in refusal.Errors ?? new Dictionary<string, string[]>())
        foreach (var message in messages)
            ModelState.AddModelError(field.Equals("practiceId", StringComparison.OrdinalIgnoreCase) ? nameof(PracticeId) : "Member" + field, message);
        if (refusal.Errors is { Count: > 0 }) return;
        if (refusal.IsConflict) ModelState.AddModelError(nameof(MemberEmail), refusal.Title);
        else ModelState.AddModelError(string.Empty, refusal.Detail ?? refusal.Title);
    }

    public async Task<IActionResult> OnPostAccessAsync(Guid providerId, bool enabled)
    {
        Message = (await outbox.CommitAsync(session,
                await SetPortalAccess.ExecuteAsync(providerId, new SetPortalAccessRequest(enabled), session))).Problem()
            ?? (enabled ? "Portal switched on." : "Portal switched off.");
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostOverrideAsync(Guid clientId, string? choice)
    {
        bool? value = choice switch { "on" => true, "off" => false, _ => null };
        Message = (await outbox.CommitAsync(session,
                await SetClientEligibility.ExecuteAsync(clientId, new SetClientEligibilityRequest(value), session))).Problem()
            ?? "Saved.";
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Practices = await session.Query<RosterPractice>().OrderBy(p => p.Name).Take(500).ToListAsync();
        Providers = await session.Query<RosterProvider>().OrderBy(p => p.PracticeName).ThenBy(p => p.Name).Take(500).ToListAsync();
        Clients = await session.Query<RosterClient>().OrderBy(c => c.LastName).ThenBy(c => c.FirstName).Take(500).ToListAsync();
    }
}

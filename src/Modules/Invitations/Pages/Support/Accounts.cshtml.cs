using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Invitations.EmailChanges;
using Portal.Invitations.Roster;
using Portal.Invitations.Security;
using Portal.Invitations.Status;
using Portal.Invitations.Support;
using Wolverine.Marten;

namespace Portal.Invitations.Pages.Support;

/// <summary>Support's account tasks: provider passwords, unlocking clients, carrying out approved email changes.</summary>
[Authorize(Policy = PortalPolicies.Support)]
public sealed class AccountsModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox) : PageModel
{
    public IReadOnlyList<InvitationsProvider> Providers { get; private set; } = [];
    public IReadOnlyList<ClientAccess> Locked { get; private set; } = [];
    public IReadOnlyList<EmailChangeView> Approved { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostProviderPasswordAsync(Guid providerId, string? password)
    {
        var outcome = await SetProviderPasswordEndpoint.SetAsync(
            providerId, new SetProviderPasswordRequest(password ?? string.Empty), session, HttpContext, clock);
        await outbox.CommitAsync(session, outcome.Succeeded ? Members.MemberAccounts.Changed(outcome.Value) : []);
        Message = outcome.Problem() ?? "Password set. The provider can sign in now.";
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostUnlockAsync(Guid clientId)
    {
        Message = (await outbox.CommitAsync(session, await UnlockAccountEndpoint.UnlockAsync(clientId, HttpContext, session, clock)))
            .Problem() ?? "Unlocked.";
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostApplyChangeAsync(Guid requestId)
    {
        var outcome = await outbox.CommitAsync(session, await ApplyEmailChangeEndpoint.ApplyAsync(requestId, HttpContext, session, clock));
        Message = outcome.Problem() ?? "Email changed. Both addresses are told.";
        StepUpRequired = outcome.Refusal?.Extensions?.ContainsKey("stepUpRequired") == true;
        await LoadAsync();
        return Page();
    }

    [BindProperty]
    public ResetSecondFactorsRequest? Reset { get; set; }

    /// <summary>Support removes a person's second factors after recording how it verified them (the slice's rules).</summary>
    public async Task<IActionResult> OnPostResetFactorsAsync()
    {
        var outcome = await outbox.CommitAsync(session,
            await SecondFactorReset.ResetAsync(Reset ?? new ResetSecondFactorsRequest(null, null, null), HttpContext, session, clock));
        Message = outcome.Problem() ?? $"Second factors of {outcome.Value!.Email} removed; they were emailed." +
            (outcome.Value.MustEnrolAgain ? " They set up a new one at their next sign-in." : "");
        StepUpRequired = outcome.Refusal?.Extensions?.ContainsKey("stepUpRequired") == true;
        if (!outcome.Succeeded) Response.StatusCode = outcome.Status;
        else Reset = null;
        await LoadAsync();
        return Page();
    }

    public bool StepUpRequired { get; private set; }

    private async Task LoadAsync()
    {
        var user = CurrentUser.From(User)!;
        Providers = await session.Query<InvitationsProvider>().OrderBy(p => p.Name).Take(500).ToListAsync();
        Locked = (await ClientAccessReader.ForAsync(user, session, clock.GetUtcNow())).Where(c => c.Status == "Locked").ToList();
        Approved = await ListEmailChangesEndpoint.ForAsync(user, session, null, EmailChangeStatus.AwaitingConfirmation);
    }
}

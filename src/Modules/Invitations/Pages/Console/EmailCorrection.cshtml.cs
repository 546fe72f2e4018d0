using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Invitations.Accounts;
using Portal.Invitations.EmailCorrections;
using Portal.Invitations.Roster;
using Wolverine.Marten;

namespace Portal.Invitations.Pages.Console;

/// <summary>
/// The clinician asks support to correct a client's login email (the same slice as the JSON endpoint), then goes back
/// to the client's profile, which shows the correction waiting. A client the caller may not see answers 404.
/// </summary>
[Authorize(Policy = PortalPolicies.Provider)]
public sealed class EmailCorrectionModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox) : PageModel
{
    [FromRoute]
    public Guid ClientId { get; set; }

    [BindProperty]
    public string? NewEmail { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public string ClientName { get; private set; } = string.Empty;

    public string CurrentEmail { get; private set; } = string.Empty;

    public EmailCorrectionView? Waiting { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        var outcome = await RequestEmailCorrectionEndpoint.RequestAsync(
            ClientId, new RequestEmailCorrectionRequest(NewEmail, Reason), HttpContext, session, clock);
        if (outcome.Succeeded)
        {
            await outbox.CommitAsync(session, [], HttpContext.RequestAborted);
            return Redirect($"/console/clients/{ClientId}");
        }
        if (outcome.Refusal.IsNotFound) return NotFound();
        outcome.Refusal.AddTo(ModelState);
        Response.StatusCode = outcome.Status;
        return await LoadAsync() ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync()
    {
        var user = CurrentUser.From(User);
        var card = await session.LoadAsync<InvitationsClient>(ClientId, HttpContext.RequestAborted);
        if (user is null || card is null || !card.IsVisibleTo(user)) return false;
        ClientName = card.DisplayName;
        var account = await session.Query<Account>().FirstOrDefaultAsync(a => a.ClientId == ClientId, HttpContext.RequestAborted);
        CurrentEmail = account?.Email ?? card.Email;
        var waiting = await session.Query<EmailCorrection>()
            .FirstOrDefaultAsync(c => c.ClientId == ClientId && c.Status == EmailCorrectionStatus.Waiting, HttpContext.RequestAborted);
        Waiting = waiting is null ? null : EmailCorrectionView.From(waiting, card.DisplayName);
        ViewData["Title"] = $"Correct the login email: {card.DisplayName}";
        return true;
    }
}

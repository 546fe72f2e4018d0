using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Invitations.EmailCorrections;
using Wolverine.Marten;

namespace Portal.Invitations.Pages.Support;

/// <summary>
/// The login email corrections practices asked for, waiting for support: apply (the login moves to the new address)
/// or decline with a note. The same slices as the JSON endpoints.
/// </summary>
[Authorize(Policy = PortalPolicies.Support)]
public sealed class EmailCorrectionsModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox,
    IDataProtectionProvider protection, IConfiguration configuration) : PageModel
{
    public IReadOnlyList<EmailCorrectionView> Waiting { get; private set; } = [];

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The correction the error is about, and the note support typed, kept for the form.</summary>
    public Guid? ErrorFor { get; private set; }

    public string? Note { get; private set; }

    public async Task OnGetAsync() => Waiting = await DecideEmailCorrectionEndpoint.WaitingAsync(session, HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostApplyAsync(Guid correctionId, string? note)
    {
        var outcome = await outbox.CommitAsync(session, await DecideEmailCorrectionEndpoint.ApplyAsync(
            correctionId, new ApplyEmailCorrectionRequest(note), HttpContext, session, clock, protection, configuration),
            HttpContext.RequestAborted);
        return await ShowAsync(outcome, correctionId, note,
            v => $"Applied: {v.ClientName}'s login email is now {v.NewEmail}. Both addresses are told.");
    }

    public async Task<IActionResult> OnPostDeclineAsync(Guid correctionId, string? note)
    {
        var outcome = await DecideEmailCorrectionEndpoint.DeclineAsync(correctionId, new DeclineEmailCorrectionRequest(note), HttpContext,
            session, clock);
        await outbox.CommitAsync(session, [], HttpContext.RequestAborted);
        return await ShowAsync(outcome, correctionId, note, v => $"Declined: {v.ClientName}'s login email stays {v.OldEmail}.");
    }

    private async Task<IActionResult> ShowAsync(Outcome<EmailCorrectionView> outcome, Guid correctionId, string? note,
        Func<EmailCorrectionView, string> done)
    {
        if (outcome.Succeeded) Message = done(outcome.Value);
        else
        {
            Error = outcome.Problem();
            ErrorFor = correctionId;
            Note = note;
            Response.StatusCode = outcome.Status;
        }
        Waiting = await DecideEmailCorrectionEndpoint.WaitingAsync(session, HttpContext.RequestAborted);
        return Page();
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Localization;
using Portal.Practice.Clients;
using Wolverine.Marten;

namespace Portal.Practice.Pages.Portal;

/// <summary>The client chooses the language of their portal and emails; the same slice as <c>PUT /api/portal/language</c>.</summary>
[Authorize(Policy = PortalPolicies.Client)]
public sealed class LanguageModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox, IClientLanguages languages,
    IValidator<ChooseLanguageRequest> validator) : PageModel
{
    [BindProperty]
    public string? Language { get; set; }

    public bool Saved { get; private set; }

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(bool saved = false)
    {
        if (Own() is not { } clientId) return Forbid();
        Language = await languages.FindAsync(clientId, HttpContext.RequestAborted) ?? PortalLanguages.Default;
        Saved = saved;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (Own() is not { } clientId) return Forbid();
        var request = new ChooseLanguageRequest(Language ?? string.Empty);
        var outcome = (await validator.ValidateAsync(request)).AsRefusal() is { } invalid
            ? Outcome<LanguageView>.Refused(invalid)
            : await outbox.CommitAsync(session, await ChooseLanguage.ExecuteAsync(clientId, request, HttpContext, session, clock, languages));
        // A redirect, so the next page is read in the language just chosen.
        if (outcome.Succeeded) return RedirectToPage(new { saved = true });
        if (outcome.Refusal.IsNotFound) return NotFound();
        Message = outcome.Problem();
        return Page();
    }

    /// <summary>The client's own record: a contact acting for a client keeps their browser's language.</summary>
    private Guid? Own() => CurrentUser.From(User) is { IsContact: false, ClientId: { } id } ? id : null;
}

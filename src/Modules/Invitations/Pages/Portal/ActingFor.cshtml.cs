using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Invitations.Contacts;

namespace Portal.Invitations.Pages.Portal;

/// <summary>The header's switcher posts here: the same switch as <c>POST /api/account/acting-for</c>, then the portal's home.</summary>
[Authorize(Policy = PortalPolicies.Client)]
public sealed class ActingForModel(IDocumentSession session, TimeProvider clock) : PageModel
{
    public string? Message { get; private set; }

    public IActionResult OnGet() => LocalRedirect("/portal");

    public async Task<IActionResult> OnPostAsync(Guid clientId)
    {
        var outcome = await ActingForFlow.SwitchAsync(clientId, HttpContext, session, clock);
        await session.SaveChangesAsync(HttpContext.RequestAborted);
        if (outcome.Succeeded) return LocalRedirect("/portal");
        if (outcome.Refusal.IsNotFound) return NotFound();
        Message = outcome.Problem();
        return Page();
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Invitations.Security;

namespace Portal.Invitations.Pages.Console;

/// <summary>
/// The owner's page for the practice's client sign-in rule (linked from the practice settings): the same slice as
/// GET/PUT /api/console/practice/client-sign-in; a save redirects back here saying what now applies.
/// </summary>
[Authorize(Policy = PortalPolicies.Owner)]
public sealed class ClientSignInModel(IDocumentSession session, TimeProvider clock) : PageModel
{
    [BindProperty]
    public bool RequireSecondFactor { get; set; }

    public string? Message { get; private set; }

    [TempData]
    public string? Flash { get; set; }

    public async Task OnGetAsync()
    {
        Message = Flash;
        RequireSecondFactor = (await ClientSignInRuleEndpoint.Get(HttpContext, session)).RequireSecondFactor;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var view = ClientSecondFactorRule.Set(RequireSecondFactor, HttpContext, session, clock);
        await session.SaveChangesAsync(HttpContext.RequestAborted);
        Flash = view.RequireSecondFactor
            ? "Saved: clients now need a second factor. Those without one set it up at their next sign-in."
            : "Saved: a second factor is optional for your clients.";
        return RedirectToPage();
    }
}

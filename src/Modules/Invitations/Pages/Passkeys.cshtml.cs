using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Portal.Invitations.Passkeys;

namespace Portal.Invitations.Pages;

/// <summary>
/// "Passkeys", the same page for every role in its own layout: the login's passkeys with when each was added and last
/// used, removing one (a form, audited by the slice), and adding one (passkeys.js runs the registration ceremony
/// against the JSON endpoints, which verify it).
/// </summary>
[Authorize]
public sealed class PasskeysModel(IDocumentSession session, TimeProvider clock, IStringLocalizer<ClientText> text)
    : PageModel
{
    internal IReadOnlyList<PasskeyView> Passkeys { get; private set; } = [];
    public string? Message { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Added { get; set; }

    public string Layout => User.IsInRole(PortalRoles.Client) ? "_PortalLayout"
        : User.IsInRole(PortalRoles.Support) ? "_SupportLayout"
        : "_ConsoleLayout";

    public async Task<IActionResult> OnGetAsync()
    {
        if (Added is "1")
            Message = text["Your passkey is ready. Next time, choose \"Use a passkey\" on the sign-in page."];
        return await LoadAsync();
    }

    public async Task<IActionResult> OnPostRemoveAsync(string id)
    {
        var outcome = await RemovePasskeyEndpoint.RemoveAsync(id, HttpContext, session, clock);
        if (!outcome.Succeeded) return NotFound();
        await session.SaveChangesAsync();
        Message = text["The passkey \"{0}\" was removed. It no longer signs you in.", outcome.Value.Name];
        return await LoadAsync();
    }

    private async Task<IActionResult> LoadAsync()
    {
        var outcome = await ListPasskeysEndpoint.ListAsync(CurrentUser.From(User)!, session, HttpContext);
        if (!outcome.Succeeded) return NotFound();
        Passkeys = outcome.Value;
        return Page();
    }
}

using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Portal.Invitations.Pages.Portal;

/// <summary>The client's portal home at the stable, bookmarkable address /portal; signed-out visitors go to sign-in.</summary>
[Authorize(Policy = PortalPolicies.Client)]
public sealed class PortalHomeModel : PageModel
{
    public string DisplayName { get; private set; } = string.Empty;

    public void OnGet()
    {
        DisplayName = CurrentUser.From(User)?.DisplayName ?? string.Empty;
    }
}

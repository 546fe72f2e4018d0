using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Security;
using Portal.BuildingBlocks.Web;
using Portal.Host.Infrastructure;

namespace Portal.Host.Pages.Console.Clients;

/// <summary>
/// A client's profile in the provider console, composed of the sections each module contributes. Each section
/// checks on its own that the signed-in provider may see this client, and renders nothing otherwise; the page itself
/// answers 404 for a client the caller may not see (or that does not exist), so nobody gets an empty page.
/// </summary>
[Authorize(Policy = PortalPolicies.PracticeMemberOrSupport)]
public sealed class ProfileModel(
    ContributedSections sections, IServiceProvider services, IClientVisibility roster, ILogger<ProfileModel> logger)
    : PageModel
{
    internal ILogger Logger => logger;

    [FromRoute]
    public Guid ClientId { get; set; }

    public IReadOnlyList<Type> Sections { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        if (!await roster.IsVisibleAsync(ClientId, CurrentUser.From(User)!, cancellation)) return NotFound();
        Sections = sections.InOrder<ClientProfileSection>(services, s => s.Order);
        return Page();
    }
}

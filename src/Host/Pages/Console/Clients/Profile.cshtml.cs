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

    /// <summary>Who the profile is about: the roster's name and date of birth head the page.</summary>
    public VisibleClient Client { get; private set; } = null!;

    /// <summary>Front office corrects the name and date of birth (<c>/console/clients/{id}/edit</c>).</summary>
    public bool MayEdit { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        var user = CurrentUser.From(User)!;
        if (await roster.FindVisibleAsync(ClientId, user, cancellation) is not { } client) return NotFound();
        Client = client;
        MayEdit = user.Passes(PortalPolicies.FrontOffice);
        Sections = sections.InOrder<ClientProfileSection>(services, s => s.Order);
        return Page();
    }
}

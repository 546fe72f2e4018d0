using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Security;
using Portal.BuildingBlocks.Web;
using Portal.Host.Infrastructure;

namespace Portal.Host.Pages.Console;

/// <summary>
/// The provider's dashboard, where a provider lands after sign-in: what needs them now (the "Needs attention" panel
/// and the other sections of the client list), the clients waiting on tasks and whatever else modules contribute to
/// the dashboard, then the ways on. Support has its own home at <c>/support</c> and is sent there.
/// </summary>
[Authorize(Policy = PortalPolicies.PracticeMemberOrSupport)]
public sealed class IndexModel(ContributedSections sections, IServiceProvider services, ILogger<IndexModel> logger)
    : PageModel
{
    internal ILogger Logger => logger;

    public IReadOnlyList<Type> Attention { get; private set; } = [];

    public IReadOnlyList<Type> Dashboard { get; private set; } = [];

    public IActionResult OnGet()
    {
        if (User.IsInRole(PortalRoles.Support)) return LocalRedirect("/support");
        Attention = sections.InOrder<ClientListSection>(services, s => s.Order);
        Dashboard = sections.InOrder<ConsoleDashboardSection>(services, s => s.Order);
        return Page();
    }
}

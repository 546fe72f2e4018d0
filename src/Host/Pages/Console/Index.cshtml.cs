using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Security;
using Portal.BuildingBlocks.Web;
using Portal.Host.Infrastructure;

namespace Portal.Host.Pages.Console;

/// <summary>
/// The console's front page: what needs the provider now (the sections modules contribute above the client list,
/// the "Needs attention" panel first), then the way on to the client list. A small page for now, not a redirect, so
/// that what needs attention is shown at this address too.
/// </summary>
[Authorize(Policy = PortalPolicies.Staff)]
public sealed class IndexModel(ContributedSections sections, IServiceProvider services, ILogger<IndexModel> logger)
    : PageModel
{
    internal ILogger Logger => logger;

    public IReadOnlyList<Type> Sections { get; private set; } = [];

    public void OnGet() => Sections = sections.InOrder<ClientListSection>(services, s => s.Order);
}

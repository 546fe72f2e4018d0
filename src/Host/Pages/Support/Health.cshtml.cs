using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Security;
using Portal.BuildingBlocks.Web;
using Portal.Host.Infrastructure;
using Portal.Host.Support;

namespace Portal.Host.Pages.Support;

[Authorize(Policy = PortalPolicies.Support)]
public sealed class HealthModel(
    SystemHealthReader reader, ContributedSections sections, IServiceProvider services, ILogger<HealthModel> logger) : PageModel
{
    internal ILogger Logger => logger;

    public SystemHealthReport Report { get; private set; } = null!;

    public IReadOnlyList<Type> Sections { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellation)
    {
        Report = await reader.ReadAsync(cancellation);
        Sections = sections.InOrder<SupportDashboardSection>(services, s => s.Order);
    }
}

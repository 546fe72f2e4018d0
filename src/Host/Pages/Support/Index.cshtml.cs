using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Security;
using Portal.BuildingBlocks.Web;
using Portal.Host.Infrastructure;
using Portal.Host.Support;

namespace Portal.Host.Pages.Support;

/// <summary>
/// Support's home (<c>/support</c>, where support lands after sign-in): a summary of the message system, the sections
/// modules contribute for support (delivery failures, locked accounts, email changes to carry out), and the ways on.
/// Counts and system state only: support sees no health information here.
/// </summary>
[Authorize(Policy = PortalPolicies.Support)]
public sealed class IndexModel(
    SystemHealthReader reader, ContributedSections sections, IServiceProvider services, ILogger<IndexModel> logger) : PageModel
{
    internal ILogger Logger => logger;

    public SystemHealthReport Report { get; private set; } = null!;

    public IReadOnlyList<Type> Sections { get; private set; } = [];

    public int DeadLetters => Report.DeadLetters.Sum(d => d.Count);

    public bool Healthy => Report.ScheduledDue == 0 && DeadLetters == 0;

    public async Task OnGetAsync(CancellationToken cancellation)
    {
        Report = await reader.ReadAsync(cancellation);
        Sections = sections.InOrder<SupportDashboardSection>(services, s => s.Order);
    }
}

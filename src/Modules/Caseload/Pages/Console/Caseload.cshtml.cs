using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewComponents;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Data;
using Portal.Caseload.Listing;

namespace Portal.Caseload.Pages.Console;

/// <summary>
/// The provider's client list, one page at a time, with search and each client's portal status, tasks and Last
/// Updated. It reads the same slice as <c>GET /api/console/caseload</c>; a paging value out of range shows the first
/// page instead. Invitations are sent from the row (the form posts to the account module's page), and the sections
/// other modules contribute (email changes to decide) are rendered above the list.
/// </summary>
[Authorize(Policy = PortalPolicies.PracticeMemberOrSupport)]
public sealed class CaseloadModel(ListQueryPool lists, TimeProvider clock, IViewComponentDescriptorCollectionProvider components,
    IServiceProvider services) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "page")]
    public string? PageText { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    [TempData]
    public string? Flash { get; set; }

    public string? Message { get; private set; }
    public CaseloadPage List { get; private set; } = new([], 1, CaseloadQuery.DefaultPageSize, null, "name", false);
    public IReadOnlyList<Type> Sections { get; private set; } = [];
    public bool CanAddClients => User.IsInRole(PortalRoles.Provider);

    public async Task OnGetAsync(CancellationToken cancellation)
    {
        Message = Flash;
        var page = int.TryParse(PageText, out var number) ? number : (int?)null;
        var query = CaseloadQuery.Parse(page, null, Search, Sort).Value
                    ?? CaseloadQuery.Parse(null, null, Search is { Length: <= CaseloadQuery.MaxSearch } ? Search : null, null).Value!;
        List = await CaseloadList.ReadAsync(CurrentUser.From(User)!, lists, query, clock.GetUtcNow(), cancellation);
        Sections = components.ViewComponents.Items
            .Select(d => d.TypeInfo.AsType())
            .Where(t => t.IsAssignableTo(typeof(ClientListSection)) && !t.IsAbstract)
            .OrderBy(t => ((ClientListSection)ActivatorUtilities.CreateInstance(services, t)).Order)
            .ToList();
    }

    public string Here => Link(List.Page);

    public string Link(int page)
    {
        var query = new List<string> { $"page={page}" };
        if (List.Search is { } search) query.Add($"search={Uri.EscapeDataString(search)}");
        if (List.Sort != "name") query.Add($"sort={List.Sort}");
        return $"/console/clients?{string.Join('&', query)}";
    }
}

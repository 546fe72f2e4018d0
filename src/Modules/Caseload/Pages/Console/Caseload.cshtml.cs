using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewComponents;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Data;
using Portal.Caseload.Listing;

namespace Portal.Caseload.Pages.Console;

/// <summary>
/// The client list, one page at a time, with search, the clinician, status and task filters, and each client's portal
/// status, tasks and Last Updated: the whole practice for an owner, front desk or biller, a clinician's own and
/// care-team clients for a clinician. It reads the same slice as <c>GET /api/console/caseload</c>, and keeps every
/// choice in the URL so a link shows the same list; a paging value out of range shows the first page, and a filter value
/// it does not know is dropped with a notice. Invitations are sent from the row (the form posts to the account module's page), and the sections
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

    [BindProperty(SupportsGet = true)]
    public string? Clinician { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Tasks { get; set; }

    [TempData]
    public string? Flash { get; set; }

    public string? Message { get; private set; }
    public string? FilterNotice { get; private set; }
    public CaseloadPage List { get; private set; } = new([], 1, CaseloadQuery.DefaultPageSize, null, "name", false);
    public IReadOnlyList<CaseloadClinician> Clinicians { get; private set; } = [];
    public IReadOnlyList<string> Statuses => CaseloadQuery.Statuses;

    /// <summary>The filters as understood (unknown values dropped): what the form shows selected and the links carry.</summary>
    public string? ClinicianChosen { get; private set; }
    public string? StatusChosen { get; private set; }
    public string? TasksChosen { get; private set; }

    public CurrentUser Viewer => CurrentUser.From(User)!;
    public bool SeesPractice => Viewer is { IsProvider: true, StaffRole: not Contracts.StaffRole.Clinician };
    public bool CanInvite => Viewer.HandlesFrontOffice || Viewer.IsSupport;
    public IReadOnlyList<Type> Sections { get; private set; } = [];
    public bool CanAddClients => CurrentUser.From(User)?.HandlesFrontOffice == true;

    public async Task OnGetAsync(CancellationToken cancellation)
    {
        Message = Flash;
        var page = int.TryParse(PageText, out var number) ? number : (int?)null;
        var user = Viewer;
        var parsed = CaseloadQuery.Parse(page, null, Search, Sort, Clinician, Status, Tasks);
        if (!parsed.Succeeded)
        {
            // Paging out of range shows the first page; an unknown filter is dropped and said so.
            var wrong = parsed.Refusal.Errors?.Keys ?? [];
            if (wrong.Any(k => k is "clinician" or "status" or "tasks")) FilterNotice = "A filter in the link was not understood and is not applied.";
            parsed = CaseloadQuery.Parse(null, null, wrong.Contains("search") ? null : Search, wrong.Contains("sort") ? null : Sort,
                wrong.Contains("clinician") ? null : Clinician, wrong.Contains("status") ? null : Status, wrong.Contains("tasks") ? null : Tasks);
        }
        var query = parsed.Value!;
        if (await CaseloadList.CheckClinicianAsync(user, lists, query, cancellation) is not null)
        {
            FilterNotice = "A filter in the link was not understood and is not applied.";
            query = query with { Clinician = null, Me = false };
        }
        ClinicianChosen = query.Me ? "me" : query.Clinician?.ToString();
        StatusChosen = query.Status;
        TasksChosen = query.Tasks?.ToString().ToLowerInvariant();
        List = await CaseloadList.ReadAsync(user, lists, query, clock.GetUtcNow(), cancellation);
        if (SeesPractice) Clinicians = await CaseloadList.CliniciansAsync(user, lists, cancellation);
        Sections = components.ViewComponents.Items
            .Select(d => d.TypeInfo.AsType())
            .Where(t => t.IsAssignableTo(typeof(ClientListSection)) && !t.IsAbstract)
            .OrderBy(t => ((ClientListSection)ActivatorUtilities.CreateInstance(services, t)).Order)
            .ToList();
    }

    public string Here => Link(List.Page);

    /// <summary>Whether any filter narrows the list (the empty list then says so rather than "No clients yet").</summary>
    public bool Filtered => ClinicianChosen is not null || StatusChosen is not null || TasksChosen is not null;

    public static string StatusLabel(string status) => status switch
    {
        CaseloadQuery.NeedsAttention => "Needs attention",
        "InvitationExpired" => "Invitation expired",
        "Eligible" => "Eligible, not invited",
        "ActivationBlocked" => "Activation blocked",
        "NotEligible" => "Not eligible",
        _ => status,
    };

    public string Link(int page)
    {
        var query = new List<string> { $"page={page}" };
        if (List.Search is { } search) query.Add($"search={Uri.EscapeDataString(search)}");
        if (List.Sort != "name") query.Add($"sort={List.Sort}");
        if (ClinicianChosen is { } clinician) query.Add($"clinician={clinician}");
        if (StatusChosen is { } status) query.Add($"status={status}");
        if (TasksChosen is { } tasks) query.Add($"tasks={tasks}");
        return $"/console/clients?{string.Join('&', query)}";
    }
}

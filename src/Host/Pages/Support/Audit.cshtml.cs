using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Security;
using Portal.BuildingBlocks.Time;
using Portal.Host.Support;

namespace Portal.Host.Pages.Support;

/// <summary>The audit log for support staff: the same filters and paging as GET /api/support/audit.</summary>
[Authorize(Policy = PortalPolicies.Support)]
public sealed class AuditModel(IQuerySession session) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid? ClientId { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? UserId { get; set; }

    [BindProperty(SupportsGet = true, Name = "action")]
    public string? ActionName { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? PageSize { get; set; }

    internal AuditLogPage? Log { get; private set; }

    internal AuditFilter? Filter { get; private set; }

    internal IReadOnlyList<string> Problems { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellation)
    {
        if (!ModelState.IsValid)
        {
            Problems = ModelState.Where(e => e.Value?.Errors.Count > 0).Select(e => $"{e.Key}: the value is not understood.").ToList();
            return;
        }
        var (filter, errors) = AuditFilter.Parse(ClientId, UserId, ActionName, From, To, PageNumber, PageSize,
            HttpContext.ReaderZone());
        if (filter is null)
        {
            Problems = errors!.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}").ToList();
            return;
        }
        Filter = filter;
        Log = await AuditLogReader.ReadAsync(session, filter, cancellation);
    }
}

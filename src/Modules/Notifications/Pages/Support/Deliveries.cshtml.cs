using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Notifications.Support;

namespace Portal.Notifications.Pages.Support;

/// <summary>The email delivery log for support staff, filtered by status or recipient.</summary>
[Authorize(Policy = PortalPolicies.Support)]
public sealed class DeliveriesPageModel(IQuerySession session) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public IReadOnlyList<DeliveryView> Deliveries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellation) =>
        Deliveries = await DeliveryQueries.ListAsync(session, Status, To, cancellation);
}

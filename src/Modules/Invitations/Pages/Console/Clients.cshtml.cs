using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Configuration;
using Portal.BuildingBlocks.Security;
using Portal.Invitations.EmailChanges;
using Portal.Invitations.Invites;
using Portal.Invitations.Status;
using Wolverine.Marten;

namespace Portal.Invitations.Pages.Console;

/// <summary>
/// The provider's client list with each client's portal status, the invitation (send/resend) and the email changes
/// waiting for the provider's decision. Support sees every client.
/// </summary>
[Authorize(Policy = PortalPolicies.Staff)]
public sealed class ClientsModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox, IDataProtectionProvider protection,
    IConfiguration configuration) : PageModel
{
    public IReadOnlyList<ClientAccess> Clients { get; private set; } = [];
    public IReadOnlyList<EmailChangeView> PendingChanges { get; private set; } = [];
    public string? Message { get; private set; }
    public bool CanAddClients => User.IsInRole(PortalRoles.Provider);

    [TempData]
    public string? Flash { get; set; }

    public string Describe(string status) => ClientAccessReader.Describe(status);

    public string NameOf(Guid clientId) => Clients.FirstOrDefault(c => c.ClientId == clientId)?.Name ?? "Client";

    public async Task OnGetAsync()
    {
        Message = Flash;
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostInviteAsync(Guid clientId, string? returnUrl)
    {
        var (result, messages) = await SendInvitationEndpoint.Post(clientId, User, HttpContext, session, clock, protection, configuration);
        Flash = await PageResults.CommitAsync(result, messages, session, outbox) ?? "Invitation sent.";
        return Back(returnUrl);
    }

    public async Task<IActionResult> OnPostApproveAsync(Guid requestId, string? returnUrl)
    {
        if (!User.IsInRole(PortalRoles.Provider)) return Forbid();
        var (result, messages) = await DecideEmailChangeEndpoint.Approve(requestId, User, HttpContext, session, clock, protection, configuration);
        Flash = await PageResults.CommitAsync(result, messages, session, outbox) ?? "Approved. The new address gets a link to confirm the change.";
        return Back(returnUrl);
    }

    public async Task<IActionResult> OnPostRejectAsync(Guid requestId, string? returnUrl)
    {
        if (!User.IsInRole(PortalRoles.Provider)) return Forbid();
        var result = await DecideEmailChangeEndpoint.Reject(requestId, User, HttpContext, session, clock);
        Flash = await PageResults.CommitAsync(result, [], session, outbox) ?? "Rejected. The email address stays as it is.";
        return Back(returnUrl);
    }

    private IActionResult Back(string? returnUrl) =>
        returnUrl is { Length: > 0 } && Url.IsLocalUrl(returnUrl) ? LocalRedirect(returnUrl) : RedirectToPage();

    private async Task LoadAsync()
    {
        var user = CurrentUser.From(User)!;
        Clients = await ClientAccessReader.ForAsync(user, session, clock.GetUtcNow());
        PendingChanges = user.IsProvider
            ? (await ListEmailChangesEndpoint.ForAsync(user, session, null)).Where(c => c.Status == "AwaitingProvider").ToList()
            : [];
    }
}

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
/// The provider's decisions about portal access: the invitation (send/resend) and the email changes waiting for the
/// provider's decision. The client list (/console/clients) and the client's profile post their buttons here and get
/// sent back (returnUrl); a GET shows the email changes waiting. Support may send invitations too.
/// </summary>
[Authorize(Policy = PortalPolicies.Staff)]
public sealed class AccessModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox, IDataProtectionProvider protection,
    IConfiguration configuration) : PageModel
{
    public string? Message { get; private set; }

    [TempData]
    public string? Flash { get; set; }

    public void OnGet() => Message = Flash;

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
        returnUrl is { Length: > 0 } && Url.IsLocalUrl(returnUrl) ? LocalRedirect(returnUrl) : LocalRedirect("/console/clients");
}

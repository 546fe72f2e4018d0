using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
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
[Authorize(Policy = PortalPolicies.FrontOfficeOrSupport)]
public sealed class AccessModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox, IDataProtectionProvider protection,
    IConfiguration configuration) : PageModel
{
    public string? Message { get; private set; }

    [TempData]
    public string? Flash { get; set; }

    [TempData]
    public bool StepUp { get; set; }

    public bool StepUpRequired { get; private set; }

    public void OnGet()
    {
        Message = Flash;
        StepUpRequired = StepUp;
    }

    public async Task<IActionResult> OnPostInviteAsync(Guid clientId, string? returnUrl)
    {
        var outcome = await outbox.CommitAsync(session,
            await SendInvitationEndpoint.SendAsync(clientId, HttpContext, session, clock, protection, configuration));
        Flash = outcome.Problem() ?? "Invitation sent.";
        return Back(returnUrl);
    }

    /// <summary>Sends (or resends) a contact's invitation from the client's profile.</summary>
    public async Task<IActionResult> OnPostInviteContactAsync(Guid clientId, Guid contactId, string? returnUrl)
    {
        var outcome = await outbox.CommitAsync(session,
            await Contacts.InviteContactEndpoint.SendAsync(clientId, contactId, HttpContext, session, clock, protection, configuration));
        Flash = outcome.Problem() ?? $"Invitation sent to {outcome.Value!.Email}.";
        return Back(returnUrl);
    }

    public async Task<IActionResult> OnPostApproveAsync(Guid requestId, string? returnUrl)
    {
        if (!User.IsInRole(PortalRoles.Provider)) return Forbid();
        var outcome = await outbox.CommitAsync(session,
            await EmailChangeDecisions.ApproveAsync(requestId, HttpContext, session, clock, protection, configuration));
        Flash = outcome.Problem() ?? "Approved. The new address gets a link to confirm the change.";
        // The prompt shows on the email changes page, which comes back to itself once the factor is proved.
        if (outcome.Refusal?.Extensions?.ContainsKey("stepUpRequired") == true)
        {
            StepUp = true;
            return LocalRedirect("/console/clients/access");
        }
        return Back(returnUrl);
    }

    public async Task<IActionResult> OnPostRejectAsync(Guid requestId, string? returnUrl)
    {
        if (!User.IsInRole(PortalRoles.Provider)) return Forbid();
        var outcome = await EmailChangeDecisions.RejectAsync(requestId, HttpContext, session, clock);
        await outbox.CommitAsync(session, []);
        Flash = outcome.Problem() ?? "Rejected. The email address stays as it is.";
        return Back(returnUrl);
    }

    private IActionResult Back(string? returnUrl) =>
        returnUrl is { Length: > 0 } && Url.IsLocalUrl(returnUrl) ? LocalRedirect(returnUrl) : LocalRedirect("/console/clients");
}

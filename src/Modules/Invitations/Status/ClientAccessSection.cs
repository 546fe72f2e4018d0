using Portal.BuildingBlocks.Data;
using Microsoft.AspNetCore.Mvc;
using Portal.Invitations.EmailChanges;
using Portal.Invitations.Roster;

namespace Portal.Invitations.Status;

/// <summary>
/// The client's portal access on their profile: status, invitation, resend, and email changes to decide (the front
/// office and support); a biller gets only the client's name and email, the identity the section opens the page with.
/// </summary>
[ViewComponent(Name = "ClientAccess")]
public sealed class ClientAccessSection(IQuerySession session, TimeProvider clock) : ClientProfileSection
{
    public override int Order => 60;

    public async Task<IViewComponentResult> InvokeAsync(Guid clientId)
    {
        var user = CurrentUser.From(UserClaimsPrincipal);
        var card = await RosterArrival.CardAsync<InvitationsClient>(session, clientId, HttpContext.RequestAborted);
        if (user is null || card is null || !card.IsVisibleTo(user)) return Content(string.Empty);

        var access = (await ClientAccessReader.ReadAsync(session, [card], clock.GetUtcNow())).Single();
        var changes = await ListEmailChangesEndpoint.ForAsync(user, session, clientId);
        // A biller sees who the client is, not their access: that is the front office's (and support's).
        var managesAccess = user.IsSupport || user.HandlesFrontOffice;
        return View(new ClientAccessSectionView(access, ClientAccessReader.Describe(access.Status),
            user.Passes(PortalPolicies.FrontOffice),
            managesAccess ? changes.Where(c => c.Status is "AwaitingProvider" or "AwaitingConfirmation").ToList() : [],
            managesAccess));
    }
}

internal sealed record ClientAccessSectionView(ClientAccess Access, string StatusText, bool CanDecide, IReadOnlyList<EmailChangeView> OpenChanges,
    bool ManagesAccess);

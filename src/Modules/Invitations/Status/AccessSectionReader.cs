using Microsoft.AspNetCore.Mvc;
using Portal.BuildingBlocks.Data;
using Portal.Invitations.Roster;

namespace Portal.Invitations.Status;

/// <summary>
/// Who reads a client's access sections on the profile (the client's own login, their contacts' logins) and what they
/// may do there. Both sections open only for a reader who may see the client; only the front office and support see
/// the access itself (a biller sees who the people are), and acting on it (inviting, deciding) is the front office's.
/// </summary>
internal sealed record AccessSectionReader(CurrentUser User, InvitationsClient Card)
{
    public bool ManagesAccess => User.IsSupport || User.HandlesFrontOffice;

    public bool CanAct => User.Passes(PortalPolicies.FrontOffice);

    /// <summary>The signed-in reader and the client's card, or null when there is nothing this reader may see.</summary>
    public static async Task<AccessSectionReader?> OfAsync(ViewComponent section, IQuerySession session, Guid clientId)
    {
        var user = CurrentUser.From(section.UserClaimsPrincipal);
        var card = await RosterArrival.CardAsync<InvitationsClient>(session, clientId, section.HttpContext.RequestAborted);
        return user is null || card is null || !card.IsVisibleTo(user) ? null : new AccessSectionReader(user, card);
    }
}

using Portal.BuildingBlocks.Data;
using Microsoft.AspNetCore.Mvc;
using Portal.Invitations.Roster;

namespace Portal.Invitations.BreakGlass;

/// <summary>
/// At the top of a client's profile, for support only: "Open health information" with the reason field, or, while
/// the support user's grant runs, a banner with the time left and "End now".
/// </summary>
[ViewComponent(Name = "HealthAccess")]
public sealed class HealthAccessSection(IQuerySession session, TimeProvider clock) : ClientProfileSection
{
    public override int Order => 1;

    public async Task<IViewComponentResult> InvokeAsync(Guid clientId)
    {
        if (CurrentUser.From(UserClaimsPrincipal) is not { IsSupport: true } user) return Content(string.Empty);
        var card = await RosterArrival.CardAsync<InvitationsClient>(session, clientId, HttpContext.RequestAborted);
        if (card is null) return Content(string.Empty);
        var now = clock.GetUtcNow();
        var grant = await BreakGlassGrants.OpenGrantAsync(session, user.UserId, clientId, now, HttpContext.RequestAborted);
        return View(new HealthAccessPanel(clientId, card.DisplayName, grant is null ? null : HealthAccessView.From(grant), now, null, null));
    }
}

/// <summary>What the panel shows: the running grant (and the time now, for the minutes left), or the form and its error.</summary>
internal sealed record HealthAccessPanel(Guid ClientId, string ClientName, HealthAccessView? Grant, DateTimeOffset Now, string? Reason,
    string? ReasonError)
{
    public int MinutesLeft => Grant is null ? 0 : (int)Math.Ceiling((Grant.ExpiresAt - Now).TotalMinutes);
}

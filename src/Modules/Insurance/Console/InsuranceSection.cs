using Marten;
using Microsoft.AspNetCore.Mvc;
using Portal.BuildingBlocks.Security;
using Portal.BuildingBlocks.Web;
using Portal.Insurance.Plans;

namespace Portal.Insurance.Console;

/// <summary>
/// The insurance section of a client's profile in the provider console: Last Updated (when, by the client or a
/// provider), the plans with their card photos and review status, the review actions, and the history read from the
/// client's insurance events. Renders nothing for anyone but the client's own provider.
/// </summary>
[ViewComponent(Name = "InsuranceSection")]
public sealed class InsuranceSection(IDocumentSession session, TimeProvider clock) : ClientProfileSection
{
    public override int Order => 30;

    public async Task<IViewComponentResult> InvokeAsync(Guid clientId)
    {
        if (CurrentUser.From(UserClaimsPrincipal) is not { IsProvider: true } user) return Content(string.Empty);
        var (card, _) = await InsuranceDesk.MaySeeAsync(session, user, clientId, HttpContext.RequestAborted);
        if (card is null) return Content(string.Empty);
        var view = await InsuranceDesk.ReadAsync(session, clock, HttpContext, card, HttpContext.RequestAborted);
        await session.SaveChangesAsync(HttpContext.RequestAborted);
        return View(view);
    }
}

using Microsoft.AspNetCore.Mvc;
using Portal.Autopay.Roster;
using Portal.BuildingBlocks.Data;

namespace Portal.Autopay.Console;

/// <summary>
/// The Autopay section of a client's profile in the provider console: status, Last Updated and history. For the
/// billing roles (owner, clinician, biller) and support; nothing for the front desk.
/// </summary>
[ViewComponent(Name = "AutopaySection")]
public sealed class AutopaySection(IDocumentSession session, TimeProvider clock) : ClientProfileSection
{
    public override int Order => 50;

    public async Task<IViewComponentResult> InvokeAsync(Guid clientId)
    {
        if (CurrentUser.From(UserClaimsPrincipal) is not ({ HandlesBilling: true } or { IsSupport: true })) return Content(string.Empty);
        // A client just added may not be in this module's copy yet: the profile waits for it rather than leave a gap.
        await RosterArrival.CardAsync<AutopayClient>(session, clientId, HttpContext.RequestAborted);
        var view = await ClientAutopay.ReadAsync(clientId, session, clock, HttpContext, HttpContext.RequestAborted);
        await session.SaveChangesAsync(HttpContext.RequestAborted);
        return View(new AutopaySectionModel(clientId, view.Value));
    }
}

internal sealed record AutopaySectionModel(Guid ClientId, ClientAutopayView? View);

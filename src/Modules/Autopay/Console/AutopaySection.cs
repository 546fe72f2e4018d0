using Microsoft.AspNetCore.Mvc;

namespace Portal.Autopay.Console;

/// <summary>
/// The Autopay section of a client's profile in the provider console: status, Last Updated and history. For the
/// billing roles (owner, clinician, biller) and support; nothing for the front desk.
/// </summary>
[ViewComponent(Name = "AutopaySection")]
public sealed class AutopaySection(IDocumentSession session, TimeProvider clock) : ClientProfileSection
{
    public override int Order => 200;

    public async Task<IViewComponentResult> InvokeAsync(Guid clientId)
    {
        if (CurrentUser.From(UserClaimsPrincipal) is not ({ HandlesBilling: true } or { IsSupport: true })) return Content(string.Empty);
        var view = await ClientAutopay.ReadAsync(clientId, session, clock, HttpContext, HttpContext.RequestAborted);
        await session.SaveChangesAsync(HttpContext.RequestAborted);
        return View(new AutopaySectionModel(clientId, view.Value));
    }
}

internal sealed record AutopaySectionModel(Guid ClientId, ClientAutopayView? View);

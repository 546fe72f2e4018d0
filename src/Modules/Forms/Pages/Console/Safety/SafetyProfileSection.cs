using Microsoft.AspNetCore.Mvc.ViewComponents;
using Portal.Forms.Safety;

namespace Portal.Forms.Pages.Console.Safety;

/// <summary>
/// The client profile's safety follow-up: each flag, open ones with the form to acknowledge them, acknowledged ones
/// with who, when and the note. Renders nothing for a caller who may not see the client, for a role that does not see
/// clinical content (front desk, biller), or when there is no flag.
/// </summary>
public sealed class SafetyProfileSection(IDocumentSession session, TimeProvider clock) : ClientProfileSection
{
    public override int Order => 10;

    internal sealed record SectionView(Guid ClientId, IReadOnlyList<SafetyFlagView> Flags, bool CanAcknowledge);

    public async Task<IViewComponentResult> InvokeAsync(Guid clientId)
    {
        if (CurrentUser.From(HttpContext.User) is not ({ IsClinical: true } or { IsSupport: true })) return Content(string.Empty);
        var context = new SliceContext(HttpContext, session, clock);
        var flags = (await GetClientSafetyFlagsEndpoint.ListAsync(clientId, context)).Value;
        if (flags is not { Count: > 0 }) return Content(string.Empty);
        return View("/Pages/Console/Safety/_SafetyProfileSection.cshtml",
            new SectionView(clientId, flags, CurrentUser.From(HttpContext.User) is { IsClinical: true }));
    }
}

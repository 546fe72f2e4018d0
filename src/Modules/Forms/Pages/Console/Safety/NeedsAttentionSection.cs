using Microsoft.AspNetCore.Mvc.ViewComponents;
using Portal.Forms.Safety;

namespace Portal.Forms.Pages.Console.Safety;

/// <summary>
/// The "Needs attention" panel at the top of the provider's landing pages (the client list, <c>/console</c>): each
/// open safety flag of the provider's clients, with a link to the client and a form to acknowledge it with a note.
/// First of the client list's sections; renders nothing when nothing waits, and nothing for support.
/// </summary>
public sealed class NeedsAttentionSection(IDocumentSession session, TimeProvider clock) : ClientListSection
{
    public override int Order => -100;

    internal sealed record PanelView(IReadOnlyList<SafetyFlagView> Flags, string ReturnUrl);

    public async Task<IViewComponentResult> InvokeAsync()
    {
        var flags = await GetOpenSafetyFlagsEndpoint.ListAsync(new SliceContext(HttpContext, session, clock));
        if (flags.Count == 0) return Content(string.Empty);
        var here = HttpContext.Request.Path + HttpContext.Request.QueryString;
        return View("/Pages/Console/Safety/_NeedsAttention.cshtml", new PanelView(flags, here));
    }
}

namespace Portal.Forms.Pages.Shared;

/// <summary>
/// A page of health information opened by support without a break-glass grant: the page itself answers 403 and says
/// what to do (<c>_HealthHidden.cshtml</c>) instead of the content.
/// </summary>
internal static class HealthHidden
{
    public static IActionResult Show(PageModel page, Refusal refusal)
    {
        page.Response.StatusCode = refusal.Status;
        page.ViewData["Title"] = "Health information hidden";
        return page.Page();
    }
}

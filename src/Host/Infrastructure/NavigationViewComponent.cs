using Microsoft.AspNetCore.Mvc;
using Portal.BuildingBlocks.Security;
using Portal.BuildingBlocks.Web;

namespace Portal.Host.Infrastructure;

/// <summary>
/// Renders the links every module contributed to one area's navigation that the signed-in person may open: a link
/// to a page their role is refused would be a dead end.
/// </summary>
[ViewComponent(Name = "Navigation")]
public sealed class NavigationViewComponent(IEnumerable<NavigationLink> links) : ViewComponent
{
    public IViewComponentResult Invoke(PortalArea area)
    {
        var user = CurrentUser.From(UserClaimsPrincipal);
        return View(links
            .Where(l => l.Area == area && (l.Policy is null || (user is not null && user.Passes(l.Policy))))
            .OrderBy(l => l.Order).ToList());
    }
}

using Microsoft.AspNetCore.Mvc;
using Portal.BuildingBlocks.Web;

namespace Portal.Host.Infrastructure;

/// <summary>Renders the links every module contributed to one area's navigation.</summary>
[ViewComponent(Name = "Navigation")]
public sealed class NavigationViewComponent(IEnumerable<NavigationLink> links) : ViewComponent
{
    public IViewComponentResult Invoke(PortalArea area) =>
        View(links.Where(l => l.Area == area).OrderBy(l => l.Order).ToList());
}

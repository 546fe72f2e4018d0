using Microsoft.AspNetCore.Mvc;
using Portal.BuildingBlocks.Security;
using Portal.BuildingBlocks.Web;

namespace Portal.Host.Infrastructure;

/// <summary>
/// Renders an area's navigation in the header: the links every module contributed that the signed-in person may
/// open (a link to a page their role is refused would be a dead end), in a "Menu" disclosure on a phone. A signed-out
/// visitor has none (every area's pages ask them to sign in first), and with no links there is no disclosure at all:
/// a "Menu" that opens onto nothing is a button that does nothing.
/// </summary>
[ViewComponent(Name = "Navigation")]
public sealed class NavigationViewComponent(IEnumerable<NavigationLink> links) : ViewComponent
{
    /// <param name="area">Whose links.</param>
    /// <param name="label">The navigation landmark's name ("Client portal", "Practice console", "Support").</param>
    public IViewComponentResult Invoke(PortalArea area, string label)
    {
        if (CurrentUser.From(UserClaimsPrincipal) is not { } user) return Content(string.Empty);
        var shown = links
            .Where(l => l.Area == area && (l.Policy is null || user.Passes(l.Policy)))
            .OrderBy(l => l.Order).ToList();
        return shown.Count == 0 ? Content(string.Empty) : View(new NavigationMenu(label, shown));
    }
}

/// <summary>What the header's menu shows: its landmark's name and its links.</summary>
public sealed record NavigationMenu(string Label, IReadOnlyList<NavigationLink> Links);

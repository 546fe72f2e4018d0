namespace Portal.BuildingBlocks.Web;

/// <summary>The two faces of the portal, each with its own layout and navigation.</summary>
public enum PortalArea
{
    /// <summary>The client portal, under /portal.</summary>
    Client,

    /// <summary>The provider console, under /console.</summary>
    Console,

    /// <summary>Support staff pages, under /support.</summary>
    Support,
}

/// <summary>
/// A link a module adds to an area's navigation. Modules register instances as singletons. <see cref="Policy"/> is the
/// policy of the page it opens (<c>PortalPolicies</c>), so a person is shown only the links their role may open.
/// </summary>
public sealed record NavigationLink(PortalArea Area, string Title, string Href, int Order, string? Policy = null);

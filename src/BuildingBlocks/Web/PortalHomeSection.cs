using Microsoft.AspNetCore.Mvc;

namespace Portal.BuildingBlocks.Web;

/// <summary>
/// A section of the client's portal home (<c>/portal</c>) that a module contributes (for example, the open tasks). The
/// home renders every one in <see cref="Order"/>, with no arguments; each section authorizes on its own and renders
/// nothing for a caller it has nothing for.
/// </summary>
public abstract class PortalHomeSection : ViewComponent
{
    public abstract int Order { get; }
}

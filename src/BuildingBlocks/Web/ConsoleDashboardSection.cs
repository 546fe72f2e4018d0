using Microsoft.AspNetCore.Mvc;

namespace Portal.BuildingBlocks.Web;

/// <summary>
/// A section of the provider's dashboard (<c>/console</c>) that a module contributes (for example, the clients
/// waiting on tasks). The dashboard renders every one below the "Needs attention" panel, in <see cref="Order"/>, with
/// no arguments; each section authorizes on its own and renders nothing for a caller it has nothing for.
/// </summary>
public abstract class ConsoleDashboardSection : ViewComponent
{
    public abstract int Order { get; }
}

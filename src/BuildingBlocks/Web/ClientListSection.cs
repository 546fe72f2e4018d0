using Microsoft.AspNetCore.Mvc;

namespace Portal.BuildingBlocks.Web;

/// <summary>
/// A section of the provider console's client list (<c>/console/clients</c>) that another module contributes (for
/// example, the email changes waiting for the provider's decision). The list page finds every view component
/// deriving from this class and renders them above the list, in <see cref="Order"/>, with no arguments; each
/// section authorizes on its own and renders nothing for a caller it has nothing for.
/// </summary>
public abstract class ClientListSection : ViewComponent
{
    public abstract int Order { get; }
}

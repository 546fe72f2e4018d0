using Microsoft.AspNetCore.Mvc;

namespace Portal.BuildingBlocks.Web;

/// <summary>
/// A section of a client's profile in the provider console. Each module contributes its own by deriving a view
/// component from this class; the host finds them by type and renders them in <see cref="Order"/>, passing the
/// client id, so no module knows about another's section.
/// The view component's InvokeAsync takes a single <c>Guid clientId</c> argument.
/// </summary>
public abstract class ClientProfileSection : ViewComponent
{
    public abstract int Order { get; }
}

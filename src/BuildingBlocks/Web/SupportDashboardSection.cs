using Microsoft.AspNetCore.Mvc;

namespace Portal.BuildingBlocks.Web;

/// <summary>
/// A section of the support staff's system health page (for example, email delivery failures). Modules derive a
/// view component from this class; the host renders every one, in <see cref="Order"/>, with no arguments.
/// </summary>
public abstract class SupportDashboardSection : ViewComponent
{
    public abstract int Order { get; }
}

using Microsoft.AspNetCore.Mvc;
using Portal.Notifications.Delivery;

namespace Portal.Notifications.Support;

internal sealed record DeliveryHealth(int Failed, int Retrying);

/// <summary>Email delivery failures on the support staff's system health page.</summary>
[ViewComponent(Name = "DeliveryHealth")]
public sealed class DeliveryHealthSection(IQuerySession session) : SupportDashboardSection
{
    public override int Order => 50;

    public async Task<IViewComponentResult> InvokeAsync() =>
        View(new DeliveryHealth(
            await DeliveryQueries.CountAsync(session, DeliveryStatus.Failed, HttpContext.RequestAborted),
            await DeliveryQueries.CountAsync(session, DeliveryStatus.Retrying, HttpContext.RequestAborted)));
}

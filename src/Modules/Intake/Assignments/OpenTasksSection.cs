using Microsoft.AspNetCore.Mvc;

namespace Portal.Intake.Assignments;

/// <summary>
/// On the client's portal home: the open tasks, each a button to where it is done, with each workflow's progress (the
/// same list as "My tasks"), or a warm word when there is nothing to do. Only a client acting for a record gets it.
/// </summary>
[ViewComponent(Name = "OpenTasks")]
public sealed class OpenTasksSection(IQuerySession session) : PortalHomeSection
{
    public override int Order => 0;

    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (CurrentUser.From(UserClaimsPrincipal) is not { Role: PortalRoles.Client, ClientId: { } clientId }) return Content(string.Empty);
        return View(await MyTasksEndpoint.ForClientAsync(session, clientId, ClientText.For(HttpContext),
            HttpContext.RequestAborted));
    }
}

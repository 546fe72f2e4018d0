using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Intake.Assignments;

namespace Portal.Intake.Pages.Portal.Tasks;

/// <summary>"My tasks": the client's open tasks in order, each linking to where it is done, with each workflow's progress.</summary>
[Authorize(Policy = PortalPolicies.Client)]
public sealed class MyTasksModel(IQuerySession session) : PageModel
{
    internal MyTasks Tasks { get; private set; } = new([], [], []);

    public async Task OnGetAsync(CancellationToken cancellation) =>
        Tasks = await MyTasksEndpoint.ForClientAsync(session, CurrentUser.From(User)!.ClientId!.Value,
            ClientText.For(HttpContext), cancellation);
}

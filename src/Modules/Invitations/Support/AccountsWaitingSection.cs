using Microsoft.AspNetCore.Mvc;
using Portal.Invitations.EmailChanges;
using Portal.Invitations.Accounts;

namespace Portal.Invitations.Support;

internal sealed record AccountsWaiting(int Locked, int EmailChanges);

/// <summary>
/// On support's dashboard: the client accounts locked by failed sign-ins and the approved email changes waiting for
/// support to carry them out, counted with the same rules as the accounts page that acts on them. Counts only: no
/// names, and nothing about anyone's health.
/// </summary>
[ViewComponent(Name = "AccountsWaiting")]
public sealed class AccountsWaitingSection(IQuerySession session, TimeProvider clock) : SupportDashboardSection
{
    public override int Order => 20;

    public async Task<IViewComponentResult> InvokeAsync()
    {
        var user = CurrentUser.From(UserClaimsPrincipal);
        if (user is not { IsSupport: true }) return Content(string.Empty);
        var now = clock.GetUtcNow();
        // The accounts page's rule for "Locked" (an active client account within its lock), counted in the database.
        var locked = await session.Query<Account>()
            .CountAsync(a => a.ClientId != null && a.Active && a.LockedUntil != null && a.LockedUntil > now);
        var changes = await ListEmailChangesEndpoint.ForAsync(user, session, null, EmailChangeStatus.AwaitingConfirmation);
        return View(new AccountsWaiting(locked, changes.Count));
    }
}

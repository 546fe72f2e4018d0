using Microsoft.AspNetCore.Mvc;
using Portal.Invitations.Roster;

namespace Portal.Invitations.EmailChanges;

/// <summary>
/// On a member's client list: the email changes their clients asked for that wait for a decision (the roles that decide,
/// owner, clinician and front desk), with Approve and Reject (posted to /console/clients/access, which sends the member
/// back to the list). Renders nothing for support, a biller, or when nothing waits.
/// </summary>
[ViewComponent(Name = "EmailChangesWaiting")]
public sealed class EmailChangesWaitingSection(IQuerySession session) : ClientListSection
{
    public override int Order => 10;

    public async Task<IViewComponentResult> InvokeAsync()
    {
        var user = CurrentUser.From(UserClaimsPrincipal);
        if (user is not { IsProvider: true } || !user.Passes(PortalPolicies.FrontOffice)) return Content(string.Empty);
        var waiting = await ListEmailChangesEndpoint.ForAsync(user, session, null, EmailChangeStatus.AwaitingProvider);
        if (waiting.Count == 0) return Content(string.Empty);
        var ids = waiting.Select(c => c.ClientId).Distinct().ToArray();
        var names = (await session.Query<InvitationsClient>().Where(c => ids.Contains(c.Id)).ToListAsync())
            .ToDictionary(c => c.Id, c => c.DisplayName);
        // Back to the page the decision was made on: the access page, the dashboard or the client list.
        var path = HttpContext.Request.Path;
        var returnUrl = path.StartsWithSegments("/console/clients/access") ? "/console/clients/access"
            : path == "/console" ? "/console" : "/console/clients";
        return View(new EmailChangesWaitingView(waiting.Select(c => (c, names.GetValueOrDefault(c.ClientId, "Client"))).ToList(), returnUrl));
    }
}

internal sealed record EmailChangesWaitingView(IReadOnlyList<(EmailChangeView Change, string Name)> Changes, string ReturnUrl);

using Microsoft.AspNetCore.Mvc;
using Portal.Practice.Roster;

namespace Portal.Practice.Lifecycle;

/// <summary>
/// The client's place in their care on the profile: discharged on what date, by whom and why; the way to discharge
/// or re-open (owner or primary clinician) and the record's export (owner or the client's clinicians).
/// </summary>
[ViewComponent(Name = "ClientLifecycle")]
public sealed class DischargeSection(IQuerySession session) : ClientProfileSection
{
    public override int Order => 80;

    public async Task<IViewComponentResult> InvokeAsync(Guid clientId)
    {
        var user = CurrentUser.From(UserClaimsPrincipal);
        var client = await session.LoadAsync<RosterClient>(clientId);
        if (user is null || client is null
            || !ClientCard.IsVisibleTo(user, client.Id, client.PracticeId, client.ProviderId, client.CareTeam))
            return Content(string.Empty);
        var mayExport = user.IsClinical && user.PracticeId == client.PracticeId;
        return View(new DischargeSectionView(ClientLifecycleView.Of(client), $"{client.FirstName} {client.LastName}".Trim(),
            LifecycleRule.MayDecide(user, client), mayExport));
    }
}

internal sealed record DischargeSectionView(ClientLifecycleView Lifecycle, string Name, bool MayDecide, bool MayExport);

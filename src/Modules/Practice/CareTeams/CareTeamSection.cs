using Microsoft.AspNetCore.Mvc;

namespace Portal.Practice.CareTeams;

/// <summary>Who cares for the client, on their profile, with the way to the care team page.</summary>
[ViewComponent(Name = "CareTeam")]
public sealed class CareTeamSection(IQuerySession session) : ClientProfileSection
{
    public override int Order => 70;

    public async Task<IViewComponentResult> InvokeAsync(Guid clientId)
    {
        if (CurrentUser.From(UserClaimsPrincipal) is not { IsProvider: true } user) return Content(string.Empty);
        var team = await GetCareTeam.ReadAsync(clientId, user, session);
        return team.Succeeded ? View(team.Value) : Content(string.Empty);
    }
}

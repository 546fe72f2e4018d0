using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Practice.CareTeams;
using Wolverine.Marten;

namespace Portal.Practice.Pages.Console;

/// <summary>
/// A client's care team in the console: everyone who sees the client reads it; the owner or the primary clinician adds
/// and removes members and transfers the primary, through the same slices as the JSON endpoints.
/// </summary>
[Authorize(Policy = PortalPolicies.PracticeMember)]
public sealed class CareTeamModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox) : PageModel
{
    [FromRoute]
    public Guid ClientId { get; set; }

    public CareTeamView Team { get; private set; } = null!;

    /// <summary>What the last action came to: a refusal's sentence, or what was done.</summary>
    public string? Message { get; private set; }

    public bool Refused { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? done)
    {
        Message = done switch
        {
            "added" => "Added to the care team.",
            "removed" => "Removed from the care team.",
            "transferred" => "The client has a new primary clinician. Both clinicians were told.",
            _ => null,
        };
        return await ShowAsync();
    }

    public async Task<IActionResult> OnPostAddAsync(Guid memberId) =>
        await AfterAsync(await outbox.CommitAsync(session, await AddCareTeamMember.ExecuteAsync(
            ClientId, new AddCareTeamMemberRequest(memberId), User, session, clock, HttpContext, HttpContext.RequestAborted)), "added");

    public async Task<IActionResult> OnPostRemoveAsync(Guid memberId) =>
        await AfterAsync(await outbox.CommitAsync(session, await RemoveCareTeamMember.ExecuteAsync(
            ClientId, memberId, User, session, clock, HttpContext, HttpContext.RequestAborted)), "removed");

    public async Task<IActionResult> OnPostTransferAsync(Guid toMemberId, bool keepPreviousOnTeam) =>
        await AfterAsync(await outbox.CommitAsync(session, await TransferPrimary.ExecuteAsync(
            ClientId, new TransferPrimaryRequest(toMemberId, keepPreviousOnTeam), User, session, clock, HttpContext,
            HttpContext.RequestAborted)), "transferred");

    private async Task<IActionResult> AfterAsync(Outcome<CareTeamView> outcome, string done)
    {
        if (outcome.Succeeded)
        {
            // A primary who handed the client on without staying on the team no longer sees them: back to the list.
            var stillVisible = (await GetCareTeam.ReadAsync(ClientId, CurrentUser.From(User)!, session)).Succeeded;
            return Redirect(stillVisible ? $"/console/clients/{ClientId}/care-team?done={done}" : "/console/clients");
        }
        if (outcome.Refusal.IsNotFound) return NotFound();
        Message = outcome.Problem();
        Refused = true;
        return await ShowAsync();
    }

    private async Task<IActionResult> ShowAsync()
    {
        var team = await GetCareTeam.ReadAsync(ClientId, CurrentUser.From(User)!, session);
        if (!team.Succeeded) return NotFound();
        Team = team.Value;
        return Page();
    }
}

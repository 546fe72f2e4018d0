using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Invitations.BreakGlass;
using Portal.Invitations.Roster;
using Wolverine.Marten;

namespace Portal.Invitations.Pages.Support;

/// <summary>
/// Break-glass for a person: the form the client's profile shows (and this page on its own), opening or ending the
/// support user's grant with the same slices as the JSON endpoints, then back to the client's profile.
/// </summary>
[Authorize(Policy = PortalPolicies.Support)]
public sealed class HealthAccessModel(IDocumentSession session, TimeProvider clock, IConfiguration configuration, IMartenOutbox outbox)
    : PageModel
{
    [FromRoute]
    public Guid ClientId { get; set; }

    internal HealthAccessPanel Panel { get; private set; } = null!;

    /// <summary>Opening asks for support's second factor again: the prompt shows above the form.</summary>
    public bool StepUpRequired { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync(null, null) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string? reason)
    {
        var outcome = await outbox.CommitAsync(session,
            await OpenHealthAccessEndpoint.OpenAsync(ClientId, new OpenHealthAccessRequest(reason), HttpContext, session, clock, configuration),
            HttpContext.RequestAborted);
        if (outcome.Succeeded) return Redirect($"/console/clients/{ClientId}");
        if (outcome.Refusal.IsNotFound) return NotFound();
        Response.StatusCode = outcome.Status;
        StepUpRequired = outcome.Refusal.Extensions?.ContainsKey("stepUpRequired") == true;
        return await LoadAsync(reason, string.Join(" ", outcome.Refusal.Messages())) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostEndAsync()
    {
        await EndHealthAccessEndpoint.EndAsync(ClientId, HttpContext, session, clock);
        await outbox.CommitAsync(session, [], HttpContext.RequestAborted);
        return Redirect($"/console/clients/{ClientId}");
    }

    private async Task<bool> LoadAsync(string? reason, string? error)
    {
        var card = await session.LoadAsync<InvitationsClient>(ClientId, HttpContext.RequestAborted);
        if (card is null) return false;
        var grant = await GetHealthAccessEndpoint.FindAsync(ClientId, HttpContext, session, clock);
        Panel = new HealthAccessPanel(ClientId, card.DisplayName, grant.Value, clock.GetUtcNow(), reason, error);
        ViewData["Title"] = $"Health information: {card.DisplayName}";
        return true;
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Practice.Lifecycle;
using Portal.Practice.Roster;
using Wolverine.Marten;

namespace Portal.Practice.Pages.Console;

/// <summary>
/// The discharge form (a common reason or the provider's own words, with optional details) and the re-open button the
/// profile posts here. Both run the slices of the JSON endpoints (<see cref="ClientLifecycle"/>).
/// </summary>
[Authorize(Policy = PortalPolicies.Provider)]
public sealed class DischargeModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox) : PageModel
{
    public const string OtherReason = "Other";

    [FromRoute]
    public Guid ClientId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Details { get; set; }

    public string ClientName { get; private set; } = string.Empty;

    public string? Message { get; private set; }

    public IReadOnlyList<string> CommonReasons => LifecycleRule.CommonReasons;

    public async Task<IActionResult> OnGetAsync()
    {
        var client = await session.LoadAsync<RosterClient>(ClientId, HttpContext.RequestAborted);
        if (LifecycleRule.Refuses(CurrentUser.From(User)!, client) is { } refusal) return refusal.IsNotFound ? NotFound() : Forbid();
        if (client!.Discharged) return LocalRedirect($"/console/clients/{ClientId}");
        ClientName = $"{client.FirstName} {client.LastName}".Trim();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var chosen = Reason is { Length: > 0 } r && r != OtherReason && LifecycleRule.CommonReasons.Contains(r) ? r : null;
        var details = Details?.Trim();
        var reason = chosen is null ? details : string.IsNullOrEmpty(details) ? chosen : $"{chosen}: {details}";
        string? problem = string.IsNullOrWhiteSpace(reason) ? "Choose a reason or write your own."
            : reason.Length > LifecycleRule.MaximumReason ? $"The reason can be at most {LifecycleRule.MaximumReason} characters (it has {reason.Length})."
            : null;
        if (problem is null)
        {
            var outcome = await outbox.CommitAsync(session,
                await ClientLifecycle.DischargeAsync(ClientId, reason!, HttpContext, session, clock), HttpContext.RequestAborted);
            if (outcome.Succeeded) return LocalRedirect($"/console/clients/{ClientId}");
            if (outcome.Refusal.IsNotFound) return NotFound();
            if (outcome.Refusal.Status == StatusCodes.Status403Forbidden) return Forbid();
            problem = outcome.Problem();
        }

        var client = await session.LoadAsync<RosterClient>(ClientId, HttpContext.RequestAborted);
        ClientName = client is null ? string.Empty : $"{client.FirstName} {client.LastName}".Trim();
        Message = problem;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public async Task<IActionResult> OnPostReopenAsync()
    {
        var outcome = await outbox.CommitAsync(session, await ClientLifecycle.ReopenAsync(ClientId, HttpContext, session, clock),
            HttpContext.RequestAborted);
        if (outcome.Succeeded || outcome.Refusal.IsConflict) return LocalRedirect($"/console/clients/{ClientId}");
        return outcome.Refusal.IsNotFound ? NotFound() : Forbid();
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Portal.Invitations.Sessions;

namespace Portal.Invitations.Pages.Shared;

/// <summary>
/// "Where you're signed in", the same page for every role in its own layout (<c>/portal/account/sessions</c>,
/// <c>/console/account/sessions</c>, <c>/support/account/sessions</c>): the person's open sessions, sign out of any
/// other one, or of all others at once. The work is <see cref="ActiveSessions"/>, as the JSON endpoints do it.
/// </summary>
public abstract class SessionsPage(IDocumentSession session, TimeProvider clock, IOptionsMonitor<SignInSessionOptions> options) : PageModel
{
    public IReadOnlyList<ActiveSession> Sessions { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostEndAsync(Guid id)
    {
        var outcome = await ActiveSessions.EndAsync(id, HttpContext, session, clock, options.CurrentValue);
        if (!outcome.Succeeded) return NotFound();
        await session.SaveChangesAsync();
        Message = "That session is signed out.";
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostEndOthersAsync()
    {
        var ended = await ActiveSessions.EndOthersAsync(HttpContext, session, clock, options.CurrentValue);
        await session.SaveChangesAsync();
        Message = ended.Ended switch
        {
            0 => "You were not signed in anywhere else.",
            1 => "Signed out of 1 other session.",
            var n => $"Signed out of {n} other sessions.",
        };
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync() => Sessions = await ActiveSessions.ListAsync(User, session, clock, options.CurrentValue);
}

[Authorize(Policy = PortalPolicies.Client)]
public sealed class PortalSessionsModel(IDocumentSession session, TimeProvider clock, IOptionsMonitor<SignInSessionOptions> options)
    : SessionsPage(session, clock, options);

/// <summary>Providers, and support too (the console's navigation is theirs as well): each sees only their own sessions.</summary>
[Authorize(Policy = PortalPolicies.PracticeMemberOrSupport)]
public sealed class ConsoleSessionsModel(IDocumentSession session, TimeProvider clock, IOptionsMonitor<SignInSessionOptions> options)
    : SessionsPage(session, clock, options);

[Authorize(Policy = PortalPolicies.Support)]
public sealed class SupportSessionsModel(IDocumentSession session, TimeProvider clock, IOptionsMonitor<SignInSessionOptions> options)
    : SessionsPage(session, clock, options);

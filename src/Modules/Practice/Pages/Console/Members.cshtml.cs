using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Practice.Members;
using Wolverine.Marten;

namespace Portal.Practice.Pages.Console;

/// <summary>
/// The owner runs the practice's staff: the members with their role and status, an invitation by email, and for each
/// member a role change, deactivation or reactivation, and a fresh link while they have not activated. The page runs
/// the same slices as the JSON endpoints; a success redirects back here with what was done.
/// </summary>
[Authorize(Policy = PortalPolicies.Owner)]
public sealed class MembersModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox,
    IValidator<InviteMemberRequest> inviteValidator) : PageModel
{
    public PracticeMembers Practice { get; private set; } = new(Guid.Empty, string.Empty, []);

    [BindProperty]
    public string InviteName { get; set; } = string.Empty;

    [BindProperty]
    public string InviteEmail { get; set; } = string.Empty;

    [BindProperty]
    public StaffRole? InviteRole { get; set; }

    /// <summary>What the last action did, or why it was refused.</summary>
    public string? Message { get; private set; }

    public bool Refused { get; private set; }

    [TempData]
    public string? Flash { get; set; }

    public static IReadOnlyList<StaffRole> Roles { get; } = Enum.GetValues<StaffRole>();

    public static string RoleName(StaffRole role) => Membership.RoleName(role);

    public async Task<IActionResult> OnGetAsync()
    {
        Message = Flash;
        return await ShowAsync();
    }

    public async Task<IActionResult> OnPostInviteAsync()
    {
        var request = new InviteMemberRequest(InviteName ?? string.Empty, InviteEmail ?? string.Empty, InviteRole);
        var outcome = (await inviteValidator.ValidateAsync(request)).AsRefusal() is { } invalid
            ? Outcome<MemberInvited>.Refused(invalid)
            : await outbox.CommitAsync(session, await InviteMember.ExecuteAsync(request, HttpContext, session, clock));
        return await AfterAsync(outcome, $"Invitation sent to {request.Email.Trim()}. The link works once, for 5 days.");
    }

    public async Task<IActionResult> OnPostRoleAsync(Guid providerId, StaffRole? role)
    {
        if (role is null || !Enum.IsDefined(role.Value)) return await AfterAsync(Outcome<MemberView>.Refused(Refusal.Invalid("role", "Choose a role.")), "");
        var outcome = await outbox.CommitAsync(session,
            await ChangeMemberRole.ExecuteAsync(providerId, new ChangeMemberRoleRequest(role), HttpContext, session, clock));
        return await AfterAsync(outcome, outcome.Succeeded ? $"{outcome.Value.Name} is now {outcome.Value.RoleName.ToLowerInvariant()}." : "");
    }

    public async Task<IActionResult> OnPostDeactivateAsync(Guid providerId)
    {
        var outcome = await outbox.CommitAsync(session, await DeactivateMember.ExecuteAsync(providerId, HttpContext, session, clock));
        return await AfterAsync(outcome, outcome.Succeeded ? $"{outcome.Value.Name} is deactivated and signed out everywhere." : "");
    }

    public async Task<IActionResult> OnPostReactivateAsync(Guid providerId)
    {
        var outcome = await outbox.CommitAsync(session, await ReactivateMember.ExecuteAsync(providerId, HttpContext, session, clock));
        return await AfterAsync(outcome, outcome.Succeeded ? $"{outcome.Value.Name} is active again." : "");
    }

    public async Task<IActionResult> OnPostResendAsync(Guid providerId)
    {
        var outcome = await outbox.CommitAsync(session, await ResendMemberInvitation.ExecuteAsync(providerId, HttpContext, session, clock));
        return await AfterAsync(outcome, "A fresh link is on its way; the previous one no longer works.");
    }

    /// <summary>A success goes back to the list (a reload does not repeat it); a refusal is shown with the form as it was.</summary>
    private async Task<IActionResult> AfterAsync<T>(Outcome<T> outcome, string done)
    {
        if (outcome.Succeeded)
        {
            Flash = done;
            return RedirectToPage();
        }
        if (outcome.Refusal.IsNotFound) return NotFound();
        Message = outcome.Problem();
        Refused = true;
        return await ShowAsync();
    }

    private async Task<IActionResult> ShowAsync()
    {
        var members = await ListMembers.ExecuteAsync(CurrentUser.From(User)!, session, HttpContext.RequestAborted);
        if (!members.Succeeded) return NotFound();
        Practice = members.Value;
        return Page();
    }
}

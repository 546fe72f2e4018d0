using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Notifications.Inbox;
using Portal.Notifications.Preferences;

namespace Portal.Notifications.Pages.Console.Notifications;

/// <summary>The provider's notification list (with the unread count) and their email preferences.</summary>
[Authorize(Policy = PortalPolicies.PracticeMember)]
public sealed class NotificationsPageModel(IDocumentSession session, IValidator<ChoosePreferences> validator, TimeProvider clock) : PageModel
{
    public NotificationList Inbox { get; private set; } = new(0, []);

    public PreferencesView Preferences { get; private set; } = new(17, "UTC", [], [], false);

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public string? Saved { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellation) => await LoadAsync(cancellation);

    public async Task<IActionResult> OnPostReadAsync(Guid id, CancellationToken cancellation)
    {
        if (!await InboxCommands.MarkReadAsync(session, ProviderId, id, clock, cancellation)) return NotFound();
        await session.SaveChangesAsync(cancellation);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken cancellation)
    {
        await InboxCommands.MarkAllReadAsync(session, ProviderId, clock, cancellation);
        await session.SaveChangesAsync(cancellation);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostPreferencesAsync(
        int digestHour, string? timeZone, Dictionary<string, string>? modes, bool careTeamEmails, CancellationToken cancellation)
    {
        // An unticked checkbox sends nothing, which binds as false: the form always says what the member chose.
        var choice = new ChoosePreferences(digestHour, timeZone ?? string.Empty, modes ?? [], careTeamEmails);
        var result = await validator.ValidateAsync(choice, cancellation);
        if (!result.IsValid)
        {
            Errors = result.Errors.Select(e => e.ErrorMessage).ToList();
            await LoadAsync(cancellation);
            return Page();
        }

        await PreferenceRules.ChooseAsync(session, ProviderId, choice, cancellation);
        await session.SaveChangesAsync(cancellation);
        Saved = "Your email preferences are saved.";
        await LoadAsync(cancellation);
        return Page();
    }

    private Guid ProviderId => CurrentUser.From(User)!.ProviderId!.Value;

    private async Task LoadAsync(CancellationToken cancellation)
    {
        Inbox = await InboxQueries.ListAsync(session, ProviderId, cancellation);
        Preferences = await PreferenceRules.ViewAsync(session, ProviderId, cancellation);
    }

    public static string Describe(string kind) => kind switch
    {
        "Insurance" => "Insurance details added, updated or removed",
        "Autopay" => "Autopay enrolled, updated or turned off",
        "ConsentForms" => "Consent forms and policies signed",
        "IntakeForms" => "Intake forms completed",
        "Assessments" => "Assessments completed",
        "AssignmentCompleted" => "All tasks of a workflow completed",
        "EmailChangeRequest" => "Requests to change a login email",
        "PortalAccess" => "A client's activation blocked (they need a new invitation)",
        _ => kind,
    };
}

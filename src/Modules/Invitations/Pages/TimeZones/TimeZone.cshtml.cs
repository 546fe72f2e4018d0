using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Invitations.Accounts;
using Wolverine.Marten;

namespace Portal.Invitations.Pages.TimeZones;

/// <summary>Anyone signed in chooses the zone they read dates in, or their practice's; the same slice as the JSON endpoint.</summary>
[Authorize]
public sealed class TimeZoneModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox, IPersonalTimeZones zones,
    IValidator<ChooseTimeZoneRequest> validator, Microsoft.Extensions.Localization.IStringLocalizer<ClientText> text) : PageModel
{
    /// <summary>The chosen zone; empty for the practice's.</summary>
    [BindProperty]
    public string? TimeZone { get; set; }

    public string? Message { get; private set; }

    public bool Refused { get; private set; }

    [TempData]
    public string? Flash { get; set; }

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>The layout of the person's own area, so the page sits among their other pages.</summary>
    public string AreaLayout => CurrentUser.From(User) switch
    {
        { IsClient: true } => "_PortalLayout",
        { IsSupport: true } => "_SupportLayout",
        _ => "_ConsoleLayout",
    };

    public async Task<IActionResult> OnGetAsync()
    {
        Message = Flash;
        var account = await session.LoadAsync<Accounts.Account>(CurrentUser.From(User)!.UserId);
        if (account is null) return NotFound();
        TimeZone = account.TimeZone;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var request = new ChooseTimeZoneRequest(string.IsNullOrEmpty(TimeZone) ? null : TimeZone);
        var outcome = (await validator.ValidateAsync(request)).AsRefusal() is { } invalid
            ? Outcome<TimeZoneView>.Refused(invalid)
            : await outbox.CommitAsync(session, await ChooseTimeZone.ExecuteAsync(request, HttpContext, session, clock, zones));
        if (outcome.Succeeded)
        {
            Flash = text["Saved. Dates and times are now shown in {0} time.", outcome.Value.ShownIn.Replace('_', ' ')];
            return RedirectToPage();
        }
        if (outcome.Refusal.IsNotFound) return NotFound();
        Message = outcome.Problem();
        Refused = true;
        return Page();
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Practice.Practices;
using Portal.Practice.Roster;
using Wolverine.Marten;

namespace Portal.Practice.Pages.Console;

/// <summary>
/// The owner's practice settings: the name clients see, the time zone dates are shown in, the accent colour and the
/// logo. The page runs the same slices as the JSON endpoints; a success redirects back here with what was done.
/// </summary>
[Authorize(Policy = PortalPolicies.Owner)]
public sealed class SettingsModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox, IPracticeLooks looks,
    IValidator<PracticeLookRequest> validator) : PageModel
{
    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? TimeZone { get; set; }

    [BindProperty]
    public string? AccentColor { get; set; }

    public string? LogoPath { get; private set; }

    public string? Message { get; private set; }

    public bool Refused { get; private set; }

    [TempData]
    public string? Flash { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Message = Flash;
        return await ShowAsync(keepEntered: false);
    }

    public async Task<IActionResult> OnPostLookAsync()
    {
        var request = new PracticeLookRequest(DisplayName, TimeZone, AccentColor);
        var outcome = (await validator.ValidateAsync(request)).AsRefusal() is { } invalid
            ? Outcome<PracticeLookView>.Refused(invalid)
            : await outbox.CommitAsync(session, await ChangePracticeLook.ExecuteAsync(request, HttpContext, session, clock, looks));
        return await AfterAsync(outcome, "Saved. Your clients see the new name, colour and time zone from now on.");
    }

    public async Task<IActionResult> OnPostLogoAsync(IFormFile? logo)
    {
        var outcome = await outbox.CommitAsync(session, await ChangePracticeLogo.ExecuteAsync(logo, HttpContext, session, clock, looks));
        return await AfterAsync(outcome, "The new logo is saved.");
    }

    public async Task<IActionResult> OnPostRemoveLogoAsync()
    {
        var outcome = await outbox.CommitAsync(session, await ChangePracticeLogo.RemoveAsync(HttpContext, session, clock, looks));
        return await AfterAsync(outcome, "The logo is removed.");
    }

    private async Task<IActionResult> AfterAsync<T>(Outcome<T> outcome, string done)
    {
        if (outcome.Succeeded)
        {
            Flash = done;
            return RedirectToPage();
        }
        if (outcome.Refusal.IsNotFound) return NotFound();
        outcome.Refusal.AddTo(ModelState);
        Message = outcome.Problem();
        Refused = true;
        return await ShowAsync(keepEntered: true);
    }

    private async Task<IActionResult> ShowAsync(bool keepEntered)
    {
        var practice = await session.LoadAsync<RosterPractice>(CurrentUser.From(User)!.PracticeId ?? Guid.Empty);
        if (practice is null) return NotFound();
        var view = PracticeLookView.Of(practice);
        LogoPath = view.LogoPath;
        if (!keepEntered)
        {
            DisplayName = view.DisplayName;
            TimeZone = view.TimeZone;
            AccentColor = view.AccentColor;
        }
        return Page();
    }
}

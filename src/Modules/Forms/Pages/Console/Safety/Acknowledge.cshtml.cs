using Portal.Forms.Safety;
using Wolverine.Marten;

namespace Portal.Forms.Pages.Console.Safety;

/// <summary>
/// Acknowledge one safety flag with a follow-up note: the form of the "Needs attention" panel and the client profile
/// posts here (the same slice as <c>POST /api/console/safety-flags/{flagId}/acknowledgement</c>). Done, it goes back
/// where the provider came from; refused, it shows the flag again with the problem next to the note.
/// </summary>
[Authorize(Policy = PortalPolicies.Provider)]
public sealed class AcknowledgeModel(IDocumentSession session, IMartenOutbox outbox, TimeProvider clock,
    IValidator<AcknowledgeSafetyFlagRequest> validator) : PageModel
{
    [FromRoute]
    public Guid FlagId { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    internal SafetyFlagView? Flag { get; private set; }

    internal string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation) =>
        await LoadAsync(cancellation) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellation)
    {
        var request = new AcknowledgeSafetyFlagRequest(Note);
        var invalid = (await validator.ValidateAsync(request, cancellation)).AsRefusal();
        if (invalid is null)
        {
            var context = new SliceContext(HttpContext, session, clock);
            var outcome = await outbox.CommitAsync(session,
                await AcknowledgeSafetyFlagEndpoint.AcknowledgeAsync(FlagId, request, context), cancellation);
            if (outcome.Succeeded)
                return LocalRedirect(ReturnUrl is { Length: > 0 } && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/console/clients");
            if (outcome.Refusal.IsNotFound) return NotFound();
            invalid = outcome.Refusal;
        }
        Problem = string.Join(" ", invalid.Messages());
        Response.StatusCode = invalid.Status;
        return await LoadAsync(cancellation) ? Page() : NotFound();
    }

    /// <summary>The flag when it is one of this provider's clients' (open or not); false otherwise.</summary>
    private async Task<bool> LoadAsync(CancellationToken cancellation)
    {
        var flag = await session.LoadAsync<SafetyFlag>(FlagId, cancellation);
        var card = flag is null ? null : await session.LoadAsync<Roster.FormsClient>(flag.ClientId, cancellation);
        if (flag is null || !AcknowledgeSafetyFlagEndpoint.IsOwnProvider(CurrentUser.From(User), card)) return false;
        Flag = SafetyFlagView.Of(flag, card!.DisplayName);
        return true;
    }
}

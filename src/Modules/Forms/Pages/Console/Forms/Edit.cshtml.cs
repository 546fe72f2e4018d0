using Portal.Forms.IntakeForms;
using Portal.Forms.Pages.Shared;
using Portal.Forms.Withdrawing;
using Wolverine.Marten;

namespace Portal.Forms.Pages.Console.Forms;

/// <summary>The JSON form editor: the same slices as PUT /api/forms/{id} and POST /api/forms/{id}/publish and /withdraw.</summary>
[Authorize(Policy = PortalPolicies.Provider)]
public sealed class EditModel(
    IDocumentStore store, IDocumentSession session, IMartenOutbox outbox, IValidator<SaveFormRequest> validator, TimeProvider clock)
    : EditorPage
{
    [FromRoute]
    public Guid FormId { get; set; }

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Schema { get; set; }

    [BindProperty]
    public int Revision { get; set; }

    internal FormDetail? Form { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        Schema = null;
        return await Show(cancellation);
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellation)
    {
        var (schema, error) = SchemaJson.Read(Schema);
        var request = new SaveFormRequest(Title, schema, Revision);
        var validation = await validator.ValidateAsync(request, cancellation);
        if (error is not null || !validation.IsValid)
        {
            Errors = [.. error is null ? [] : new[] { error }, .. validation.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")];
            return await Show(cancellation);
        }
        // A session of its own, ended before the page is rendered: a refused save gives back the form's edit lock (its
        // transaction) at once, as the builder's does.
        await using (var saving = store.LightweightSession())
        {
            var outcome = await SaveFormEndpoint.SaveAsync(FormId, request, new SliceContext(HttpContext, saving, clock));
            if (await CommitAsync(outcome, saving, _ => "Saved. Publish to show it to clients.", cancellation)) Schema = null;
        }
        return await Show(cancellation);
    }

    public async Task<IActionResult> OnPostPublishAsync(CancellationToken cancellation)
    {
        var outcome = await PublishFormEndpoint.PublishAsync(
            FormId, new PublishFormRequest(Revision), new SliceContext(HttpContext, session, clock), outbox);
        await CommitAsync(outcome, session, version => $"Published version {version.Number}.", cancellation);
        Schema = null;
        return await Show(cancellation);
    }

    public async Task<IActionResult> OnPostWithdrawAsync(CancellationToken cancellation)
    {
        var outcome = await WithdrawContentEndpoint.WithdrawAsync<IntakeForm>(FormId, new SliceContext(HttpContext, session, clock), outbox);
        await CommitAsync(outcome, session, _ => WithdrawContentEndpoint.Done(IntakeForm.Noun), cancellation);
        Schema = null;
        return await Show(cancellation);
    }

    private async Task<IActionResult> Show(CancellationToken cancellation)
    {
        Form = (await GetFormsEndpoint.DetailAsync(FormId, User, session, cancellation)).Value;
        return Form is null ? NotFound() : Page();
    }
}

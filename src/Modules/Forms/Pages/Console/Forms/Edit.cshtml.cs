using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Security;
using Portal.Forms.IntakeForms;
using Portal.Forms.Shared;
using Wolverine.Marten;

namespace Portal.Forms.Pages.Console.Forms;

/// <summary>The form editor: the same slices as PUT /api/forms/{id} and POST /api/forms/{id}/publish.</summary>
[Authorize(Policy = PortalPolicies.Provider)]
public sealed class EditModel(IDocumentStore store, IDocumentSession session, IMartenOutbox outbox, IValidator<SaveFormRequest> validator, TimeProvider clock) : PageModel
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

    internal IReadOnlyList<string> Errors { get; private set; } = [];

    internal string? Message { get; private set; }

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
        Outcome<IntakeForm> outcome;
        await using (var saving = store.LightweightSession())
        {
            outcome = await SaveFormEndpoint.SaveAsync(FormId, request, User, HttpContext, saving, clock, cancellation);
            if (outcome.Succeeded) await saving.SaveChangesAsync(cancellation);
        }
        if (outcome.Succeeded)
        {
            Message = "Saved. Publish to show it to clients.";
            Schema = null;
        }
        else Errors = outcome.Messages().ToList();
        return await Show(cancellation);
    }

    public async Task<IActionResult> OnPostPublishAsync(CancellationToken cancellation)
    {
        var outcome = await PublishFormEndpoint.PublishAsync(FormId, new PublishFormRequest(Revision), User, HttpContext, session, outbox, clock, cancellation);
        if (outcome.Succeeded)
        {
            await session.SaveChangesAsync(cancellation);
            Message = $"Published version {outcome.Value!.Number}.";
        }
        else Errors = outcome.Messages().ToList();
        Schema = null;
        return await Show(cancellation);
    }

    private async Task<IActionResult> Show(CancellationToken cancellation)
    {
        Form = await GetFormsEndpoint.DetailAsync(FormId, User, session, cancellation);
        return Form is null ? NotFound() : Page();
    }
}

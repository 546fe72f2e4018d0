namespace Portal.Forms.IntakeForms;

/// <summary>Changes to the working schema; <see cref="Revision"/> is the one the editor loaded.</summary>
public sealed record SaveFormRequest(string? Title, FormSchema? Schema, int Revision);

internal sealed class SaveFormValidator : AbstractValidator<SaveFormRequest>
{
    public SaveFormValidator()
    {
        RuleFor(r => r.Title).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Revision).GreaterThan(0);
        RuleFor(r => r.Schema).MustBeWellFormed();
    }
}

public static class SaveFormEndpoint
{
    [WolverinePut("/api/forms/{formId}"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Put(Guid formId, SaveFormRequest request, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var outcome = await SaveAsync(formId, request, new SliceContext(http, session, clock));
        return outcome.Map(f => new FormSavedResponse(f.Id, f.Revision)).ToResult(http);
    }

    /// <summary>An edit after publishing becomes the next version when published; responses keep the version they answered.</summary>
    internal static Task<Outcome<IntakeForm>> SaveAsync(Guid formId, SaveFormRequest request, SliceContext context) =>
        PracticeContent.SaveAsync<IntakeForm>(context, formId, request.Revision, request.Title!, form => form.Schema = request.Schema!);
}

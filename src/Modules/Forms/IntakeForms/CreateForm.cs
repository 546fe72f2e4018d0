namespace Portal.Forms.IntakeForms;

/// <summary>A new intake form's working schema.</summary>
public sealed record CreateFormRequest(string? Title, FormSchema? Schema);

internal sealed class CreateFormValidator : AbstractValidator<CreateFormRequest>
{
    public CreateFormValidator()
    {
        RuleFor(r => r.Title).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Schema).MustBeWellFormed();
    }
}

internal sealed record FormSavedResponse(Guid FormId, int Revision);

public static class CreateFormEndpoint
{
    [WolverinePost("/api/forms"), Authorize(Policy = PortalPolicies.Provider)]
    public static IResult Post(CreateFormRequest request, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var form = Create(request, new SliceContext(http, session, clock));
        return Results.Created($"/api/forms/{form.Id}", new FormSavedResponse(form.Id, form.Revision));
    }

    internal static IntakeForm Create(CreateFormRequest request, SliceContext context) =>
        PracticeContent.Create<IntakeForm>(context, request.Title!, form => form.Schema = request.Schema!);
}

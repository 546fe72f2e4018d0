namespace Portal.Forms.Documents;

/// <summary>A new practice document's working copy, in Markdown.</summary>
public sealed record CreateDocumentRequest(string? Title, string? Markdown);

internal sealed class CreateDocumentValidator : AbstractValidator<CreateDocumentRequest>
{
    public CreateDocumentValidator()
    {
        RuleFor(r => r.Title).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Markdown).NotNull().MaximumLength(200_000);
    }
}

internal sealed record DocumentSavedResponse(Guid DocumentId, int Revision);

public static class CreateDocumentEndpoint
{
    [WolverinePost("/api/documents"), Authorize(Policy = PortalPolicies.Provider)]
    public static IResult Post(CreateDocumentRequest request, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var document = Create(request, new SliceContext(http, session, clock));
        return Results.Created($"/api/documents/{document.Id}", new DocumentSavedResponse(document.Id, document.Revision));
    }

    internal static PracticeDocument Create(CreateDocumentRequest request, SliceContext context) =>
        PracticeContent.Create<PracticeDocument>(context, request.Title!, document => document.Markdown = request.Markdown ?? string.Empty);
}

using System.Security.Claims;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Portal.Forms.Shared;
using Wolverine.Http;

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
    public static IResult Post(CreateDocumentRequest request, ClaimsPrincipal principal, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var document = Create(request, principal, http, session, clock);
        return Results.Created($"/api/documents/{document.Id}", new DocumentSavedResponse(document.Id, document.Revision));
    }

    internal static PracticeDocument Create(CreateDocumentRequest request, ClaimsPrincipal principal, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var owner = FormsAccess.Owner(CurrentUser.From(principal))!.Value;
        var now = clock.GetUtcNow();
        var document = new PracticeDocument
        {
            Id = Guid.CreateVersion7(),
            PracticeId = owner.PracticeId,
            ProviderId = owner.ProviderId,
            Title = request.Title!.Trim(),
            Markdown = request.Markdown ?? string.Empty,
            Revision = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        session.Insert(document);
        Audit.Record(session, http, clock, "forms.document.create", nameof(PracticeDocument), document.Id.ToString());
        return document;
    }
}

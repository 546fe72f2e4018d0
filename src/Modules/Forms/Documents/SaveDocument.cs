using Portal.BuildingBlocks.Concurrency;
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

/// <summary>Changes to the working copy; <see cref="Revision"/> is the one the editor loaded.</summary>
public sealed record SaveDocumentRequest(string? Title, string? Markdown, int Revision);

internal sealed class SaveDocumentValidator : AbstractValidator<SaveDocumentRequest>
{
    public SaveDocumentValidator()
    {
        RuleFor(r => r.Title).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Markdown).NotNull().MaximumLength(200_000);
        RuleFor(r => r.Revision).GreaterThan(0);
    }
}

public static class SaveDocumentEndpoint
{
    [WolverinePut("/api/documents/{documentId}"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Put(Guid documentId, SaveDocumentRequest request, ClaimsPrincipal principal, HttpContext http,
        IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var outcome = await SaveAsync(documentId, request, principal, http, session, clock, cancellation);
        return outcome.Succeeded ? Results.Ok(new DocumentSavedResponse(documentId, outcome.Value!.Revision)) : outcome.ToProblem(http);
    }

    /// <summary>Saves the working copy. Published versions are untouched: a change shows up only when published.</summary>
    internal static async Task<Outcome<PracticeDocument>> SaveAsync(Guid documentId, SaveDocumentRequest request, ClaimsPrincipal principal,
        HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        // Parallel saves of one document wait here for each other, so the revision check below lets one through.
        var document = await EditLock.LoadLockedAsync<PracticeDocument>(session, documentId, cancellation);
        if (document is null || !FormsAccess.CanManage(CurrentUser.From(principal), document.PracticeId, document.ProviderId))
            return Outcome<PracticeDocument>.NotFound("document");
        if (document.Revision != request.Revision)
            return Outcome<PracticeDocument>.Conflict($"The document was changed elsewhere (revision {document.Revision}); reload it before saving.");

        document.Title = request.Title!.Trim();
        document.Markdown = request.Markdown ?? string.Empty;
        document.Revision++;
        document.UpdatedAt = clock.GetUtcNow();
        session.Store(document);
        Audit.Record(session, http, clock, "forms.document.save", nameof(PracticeDocument), document.Id.ToString());
        return Outcome<PracticeDocument>.Ok(document);
    }
}

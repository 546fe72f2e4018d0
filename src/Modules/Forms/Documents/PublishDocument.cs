using System.Security.Claims;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Portal.Contracts;
using Portal.Forms.Shared;
using Wolverine;
using Wolverine.Http;

namespace Portal.Forms.Documents;

/// <summary>
/// Publish the working copy as the next version. <see cref="RequireExistingSignersToSignAgain"/> says whether
/// clients who signed an earlier version must sign this one too.
/// </summary>
public sealed record PublishDocumentRequest(int Revision, bool RequireExistingSignersToSignAgain);

internal sealed class PublishDocumentValidator : AbstractValidator<PublishDocumentRequest>
{
    public PublishDocumentValidator() => RuleFor(r => r.Revision).GreaterThan(0);
}

internal sealed record DocumentPublishedResponse(Guid DocumentId, int Version, string ContentHash, bool RequireResign);

public static class PublishDocumentEndpoint
{
    [WolverinePost("/api/documents/{documentId}/publish"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Post(Guid documentId, PublishDocumentRequest request, ClaimsPrincipal principal, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation)
    {
        var outcome = await PublishAsync(documentId, request, principal, http, session, bus, clock, cancellation);
        return outcome.Succeeded
            ? Results.Ok(new DocumentPublishedResponse(documentId, outcome.Value!.Number, outcome.Value.ContentHash, outcome.Value.RequireResign))
            : outcome.ToProblem(http);
    }

    internal static async Task<Outcome<DocumentVersion>> PublishAsync(Guid documentId, PublishDocumentRequest request, ClaimsPrincipal principal,
        HttpContext http, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal);
        var document = await session.LoadAsync<PracticeDocument>(documentId, cancellation);
        if (document is null || !FormsAccess.CanManage(user, document.PracticeId, document.ProviderId))
            return Outcome<DocumentVersion>.NotFound("document");
        if (document.Revision != request.Revision)
            return Outcome<DocumentVersion>.Conflict($"The document was changed elsewhere (revision {document.Revision}); reload it before publishing.");
        if (!document.HasUnpublishedChanges)
            return Outcome<DocumentVersion>.Conflict($"Version {document.Latest!.Number} already has this content; change it before publishing again.");

        var html = DocumentRenderer.Render(document.Title, document.Markdown);
        var version = new DocumentVersion
        {
            Number = (document.Latest?.Number ?? 0) + 1,
            Title = document.Title,
            Markdown = document.Markdown,
            Html = html,
            ContentHash = DocumentRenderer.Hash(html),
            RequireResign = request.RequireExistingSignersToSignAgain,
            PublishedAt = clock.GetUtcNow(),
            PublishedBy = user!.UserId,
        };
        document.Versions.Add(version);
        document.Revision++;
        document.UpdatedAt = version.PublishedAt;
        session.Store(document);
        Audit.Record(session, http, clock, "forms.document.publish", nameof(PracticeDocument), $"{document.Id}/v{version.Number}");
        await bus.PublishAsync(new DocumentPublished(document.Id, document.PracticeId, version.Title, version.Number, version.PublishedAt));
        return Outcome<DocumentVersion>.Ok(version);
    }
}

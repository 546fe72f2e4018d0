using Portal.Contracts;

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
    public static async Task<IResult> Post(Guid documentId, PublishDocumentRequest request, HttpContext http, IDocumentSession session,
        IMessageBus bus, TimeProvider clock)
    {
        var outcome = await PublishAsync(documentId, request, new SliceContext(http, session, clock), bus);
        return outcome.Map(v => new DocumentPublishedResponse(documentId, v.Number, v.ContentHash, v.RequireResign)).ToResult(http);
    }

    /// <summary>
    /// Freezes the working copy as the next version and publishes <see cref="DocumentPublished"/>. A withdrawn document
    /// may be published again as it is, which offers it again.
    /// </summary>
    internal static async Task<Outcome<DocumentVersion>> PublishAsync(Guid documentId, PublishDocumentRequest request, SliceContext context,
        IMessageBus bus)
    {
        var found = await PracticeContent.ForChangeAsync<PracticeDocument>(context, documentId, request.Revision, "publishing");
        if (!found.Succeeded) return found.Refusal;
        var document = found.Value;
        if (!document.HasUnpublishedChanges && document.WithdrawnAt is null)
            return Refusal.Conflict($"Version {document.Latest!.Number} already has this content; change it before publishing again.");

        var html = DocumentRenderer.Render(document.Title, document.Markdown);
        var version = new DocumentVersion
        {
            Number = (document.Latest?.Number ?? 0) + 1,
            Title = document.Title,
            Markdown = document.Markdown,
            Html = html,
            ContentHash = DocumentRenderer.Hash(html),
            RequireResign = request.RequireExistingSignersToSignAgain,
            PublishedAt = context.Clock.GetUtcNow(),
            PublishedBy = context.User!.UserId,
            // Each language's text is frozen with its own hash: a client signs the one they were shown.
            Translations = document.Translations.ToDictionary(t => t.Key, t =>
            {
                var translated = DocumentRenderer.Render(t.Value.Title, t.Value.Markdown);
                return new PublishedTranslation
                {
                    Title = t.Value.Title, Markdown = t.Value.Markdown, Html = translated, ContentHash = DocumentRenderer.Hash(translated),
                };
            }),
        };
        document.Versions.Add(version);
        PracticeContent.Published(context, document, version.Number);
        await bus.PublishAsync(new DocumentPublished(document.Id, document.PracticeId, version.Title, version.Number, version.PublishedAt));
        return version;
    }
}

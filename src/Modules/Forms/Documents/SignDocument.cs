using Microsoft.Extensions.Localization;
using Portal.BuildingBlocks.Localization;
using Portal.Contracts;

namespace Portal.Forms.Documents;

/// <summary>
/// The act of signing: the version and content hash the client was shown, the full name they typed, and their explicit
/// consent to sign electronically. <see cref="SignAsTypedName"/> confirms a name that is not the client's legal name.
/// </summary>
public sealed record SignDocumentRequest(
    int Version, string? ContentHash, string? FullName, bool AgreeToSignElectronically, bool SignAsTypedName = false);

internal sealed class SignDocumentValidator : AbstractValidator<SignDocumentRequest>
{
    public SignDocumentValidator()
    {
        RuleFor(r => r.Version).GreaterThan(0);
        RuleFor(r => r.ContentHash).NotEmpty().Matches("^[0-9a-fA-F]{64}$").WithMessage("The content hash of the version shown is required.");
        RuleFor(r => r.FullName).NotEmpty().WithMessage("Type your full name to sign.").MaximumLength(200)
            .Must(name => name is null || name.Trim().Length >= 2).WithMessage("Type your full name to sign.");
        RuleFor(r => r.AgreeToSignElectronically).Equal(true).WithMessage("Agree to sign electronically to sign.");
    }
}

internal sealed record DocumentSignedResponse(Guid SignatureId, Guid DocumentId, int Version, string ContentHash, DateTimeOffset SignedAt);

public static class SignDocumentEndpoint
{
    [WolverinePost("/api/portal/documents/{documentId}/signatures"), Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Post(Guid documentId, SignDocumentRequest request, HttpContext http, IDocumentSession session,
        IMessageBus bus, TimeProvider clock)
    {
        var outcome = await SignAsync(documentId, request, new SliceContext(http, session, clock), bus);
        return outcome.ToResult(http, signed => Results.Created($"/api/portal/signatures/{signed.SignatureId}",
            new DocumentSignedResponse(signed.SignatureId, signed.DocumentId, signed.DocumentVersion, signed.ContentHash, signed.SignedAt)));
    }

    /// <summary>
    /// Appends the signature record as the first and only event of a new stream, and publishes
    /// <see cref="ConsentFormSigned"/>. The hash sent must be the hash of the version's HTML: a client who was shown
    /// something else (an edited page, a stale copy) gets 409 and nothing is signed.
    /// </summary>
    internal static async Task<Outcome<DocumentSigned>> SignAsync(Guid documentId, SignDocumentRequest request, SliceContext context, IMessageBus bus)
    {
        var (session, http, cancellation) = (context.Session, context.Http, context.Cancellation);
        var user = context.User!;
        var card = await FormsAccess.SignedInClientAsync(session, context.Principal, cancellation);
        var document = await session.LoadAsync<PracticeDocument>(documentId, cancellation);
        if (card is null || document is null || document.PracticeId != card.PracticeId) return Refusal.NotFound(PracticeDocument.Noun);
        var version = document.Version(request.Version);
        if (version is null) return Refusal.NotFound("document version");
        // The hash says which of the version's texts (English, Spanish) the client was shown: that one is signed.
        var text = version.WithHash(request.ContentHash);
        if (text is null)
            return Refusal.Conflict(context.Text[
                "What you were shown is not this version of the document; reload it and read it again before signing."].Value);

        var already = (await Signatures.OfClientAsync(session, card.Id, cancellation))
            .Any(s => s.DocumentId == documentId && s.DocumentVersion == version.Number);
        if (already) return Refusal.Conflict(context.Text["You already signed version {0} of this document.", version.Number].Value);

        // A signature means something only when it names the signer: another name is signed only once confirmed.
        var typed = request.FullName!.Trim();
        // A contact (a parent) signs with their own name, for the client: "signed by Jane Doe, parent of Sam Doe".
        var legalName = user.IsContact ? user.DisplayName : card.DisplayName;
        var signedFor = user.Relationship is { } relationship ? $"{typed}, {relationship} of {card.DisplayName}" : null;
        var differentName = !SignatureNames.Match(typed, legalName);
        if (differentName && !request.SignAsTypedName) return DifferentName(typed, legalName, context.Text);

        var now = context.Clock.GetUtcNow();
        var agent = http.Request.Headers.UserAgent.ToString();
        var signed = new DocumentSigned(
            SignatureId: Guid.CreateVersion7(),
            DocumentId: document.Id,
            DocumentVersion: version.Number,
            DocumentTitle: text.Title,
            ContentHash: text.ContentHash,
            ClientId: card.Id,
            ProviderId: card.ProviderId,
            PracticeId: card.PracticeId,
            SignedByUserId: user.UserId,
            SignedName: typed,
            SignedAt: now,
            IpAddress: http.Connection.RemoteIpAddress?.ToString(),
            UserAgent: agent.Length == 0 ? null : agent[..Math.Min(agent.Length, 500)],
            ConsentVersion: ElectronicConsent.Version,
            ConsentText: ElectronicConsent.In(PortalLanguages.Current),
            LegalName: legalName,
            SignedAsDifferentName: differentName,
            SignedFor: signedFor,
            Language: text.Language);
        session.Events.StartStream(signed.SignatureId, signed);
        context.Audit("forms.signature.create", "DocumentSignature", signed.SignatureId.ToString(), card.Id);
        await bus.PublishAsync(new ConsentFormSigned(Guid.CreateVersion7(), card.Id, card.ProviderId, document.Id, version.Number,
            version.Title, user.AsActor(), now));
        return Outcome<DocumentSigned>.Ok(signed, StatusCodes.Status201Created);
    }

    /// <summary>The question the client answers before signing as another name: 409 naming the field, nothing signed.</summary>
    internal static Refusal DifferentName(string typed, string legalName, IStringLocalizer text) =>
        new Refusal(StatusCodes.Status409Conflict, text["The name you typed is not the name we have for you."].Value,
                $"Send it again with signAsTypedName true to sign as {typed}.",
                new Dictionary<string, string[]>
                {
                    ["fullName"] = [text["The name you typed, {0}, is not the name we have for you, {1}. Sign as {0} anyway?", typed, legalName].Value]
                })
            .With("code", DifferentNameCode)
            .With("legalName", legalName);

    /// <summary>The refusal's code, for the page to offer the confirmation.</summary>
    internal const string DifferentNameCode = "signature-name-differs";
}

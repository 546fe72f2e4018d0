using Portal.Contracts;
using Portal.Forms.Documents;
using Portal.Forms.IntakeForms;

namespace Portal.Forms.Withdrawing;

/// <summary>What a withdrawal answers: the item, the version it had published, and when it was withdrawn.</summary>
internal sealed record ContentWithdrawnResponse(Guid ItemId, int Version, DateTimeOffset WithdrawnAt);

/// <summary>
/// A practice withdraws a published document or intake form it no longer wants asked for: <see cref="CatalogItemWithdrawn"/>
/// tells intake workflows not to put it in new tasks. What clients signed or sent stays as it is, and a task already
/// given can still be done (the client's pages still open it). Publishing a new version offers it again.
/// </summary>
public static class WithdrawContentEndpoint
{
    [WolverinePost("/api/documents/{documentId}/withdraw"), Authorize(Policy = PortalPolicies.Provider)]
    public static Task<IResult> Document(Guid documentId, HttpContext http, IDocumentSession session, IMessageBus bus, TimeProvider clock) =>
        RespondAsync<PracticeDocument>(documentId, new SliceContext(http, session, clock), bus);

    [WolverinePost("/api/forms/{formId}/withdraw"), Authorize(Policy = PortalPolicies.Provider)]
    public static Task<IResult> Form(Guid formId, HttpContext http, IDocumentSession session, IMessageBus bus, TimeProvider clock) =>
        RespondAsync<IntakeForm>(formId, new SliceContext(http, session, clock), bus);

    private static async Task<IResult> RespondAsync<T>(Guid id, SliceContext context, IMessageBus bus) where T : class, IPracticeContent =>
        (await WithdrawAsync<T>(id, context, bus))
            .Map(item => new ContentWithdrawnResponse(item.Id, item.LatestVersion!.Value, item.WithdrawnAt!.Value))
            .ToResult(context.Http);

    /// <summary>404 when it is not the caller's to manage; 409 when it has no published version or is withdrawn already.</summary>
    internal static async Task<Outcome<T>> WithdrawAsync<T>(Guid id, SliceContext context, IMessageBus bus) where T : class, IPracticeContent
    {
        var found = await PracticeContent.ForChangeAsync<T>(context, id);
        if (!found.Succeeded) return found;
        var item = found.Value;
        if (item.LatestVersion is null) return Refusal.Conflict($"The {T.Noun} is not published; there is nothing to withdraw.");
        if (item.WithdrawnAt is not null) return Refusal.Conflict($"The {T.Noun} is already withdrawn.");

        var now = context.Clock.GetUtcNow();
        item.WithdrawnAt = now;
        context.Session.Store(item);
        context.Audit($"forms.{T.Noun}.withdraw", typeof(T).Name, item.Id.ToString());
        await bus.PublishAsync(new CatalogItemWithdrawn(item.Id, item.PracticeId, now, item.LatestVersion.Value));
        return found;
    }

    /// <summary>What the console says once it is done.</summary>
    internal static string Done(string noun) =>
        $"Withdrawn: new intake tasks can no longer ask for this {noun}. " +
        "What clients signed or sent stays, and tasks already given can still be done.";
}

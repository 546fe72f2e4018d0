using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Security;
using Portal.BuildingBlocks.Web;
using Portal.Contracts;
using Portal.Forms.Shared;
using Wolverine;
using Wolverine.Http;

namespace Portal.Forms.Documents;

internal sealed record DocumentWithdrawnResponse(Guid DocumentId, int Version, DateTimeOffset WithdrawnAt);

public static class WithdrawDocumentEndpoint
{
    /// <summary>
    /// The practice no longer wants this document signed: <see cref="CatalogItemWithdrawn"/> tells intake workflows not to
    /// ask for it in new tasks. Signatures already given stay, and a task already given can still be signed.
    /// </summary>
    [WolverinePost("/api/documents/{documentId}/withdraw"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Post(Guid documentId, HttpContext http, IDocumentSession session, IMessageBus bus, TimeProvider clock)
    {
        var outcome = await WithdrawAsync(documentId, new SliceContext(http, session, clock), bus);
        return outcome.Map(d => new DocumentWithdrawnResponse(d.Id, d.Latest!.Number, d.WithdrawnAt!.Value)).ToResult(http);
    }

    internal static Task<Outcome<PracticeDocument>> WithdrawAsync(Guid documentId, SliceContext context, IMessageBus bus) =>
        PracticeContent.WithdrawAsync<PracticeDocument>(context, documentId, bus);
}

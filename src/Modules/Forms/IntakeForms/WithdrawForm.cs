using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Security;
using Portal.BuildingBlocks.Web;
using Portal.Contracts;
using Portal.Forms.Shared;
using Wolverine;
using Wolverine.Http;

namespace Portal.Forms.IntakeForms;

internal sealed record FormWithdrawnResponse(Guid FormId, int Version, DateTimeOffset WithdrawnAt);

public static class WithdrawFormEndpoint
{
    /// <summary>
    /// The practice no longer wants this form filled in: <see cref="CatalogItemWithdrawn"/> tells intake workflows not to
    /// ask for it in new tasks. Responses already sent stay, and a task already given can still be answered.
    /// </summary>
    [WolverinePost("/api/forms/{formId}/withdraw"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Post(Guid formId, HttpContext http, IDocumentSession session, IMessageBus bus, TimeProvider clock)
    {
        var outcome = await WithdrawAsync(formId, new SliceContext(http, session, clock), bus);
        return outcome.Map(f => new FormWithdrawnResponse(f.Id, f.Latest!.Number, f.WithdrawnAt!.Value)).ToResult(http);
    }

    internal static Task<Outcome<IntakeForm>> WithdrawAsync(Guid formId, SliceContext context, IMessageBus bus) =>
        PracticeContent.WithdrawAsync<IntakeForm>(context, formId, bus);
}

using Microsoft.AspNetCore.Mvc;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Data;
using Portal.Insurance.Roster;

namespace Portal.Insurance.Plans;

/// <summary>
/// A client's insurance as the client (GET /api/insurance) and their own provider (GET /api/console/clients/{id}/insurance)
/// see it: plans, card photos, review status, "Last Updated" and the history. Support reads it only under a break-glass
/// grant. The insurance pages and the profile section read it the same way. Every read is audited.
/// </summary>
public static class ReadInsuranceEndpoints
{
    [WolverineGet("/api/insurance")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> GetMine(IDocumentSession session, TimeProvider clock, HttpContext http) =>
        (await ReadAsync(CurrentUser.From(http.User)!.ClientId!.Value, session, clock, http)).ToResult(http);

    [Microsoft.AspNetCore.Mvc.ProducesResponseType<InsuranceView>(StatusCodes.Status200OK)]
    [Microsoft.AspNetCore.Mvc.ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(
        StatusCodes.Status404NotFound, "application/problem+json")]
    [WolverineGet("/api/console/clients/{clientId}/insurance")]
    [Authorize(Policy = PortalPolicies.BillingOrSupport)]
    public static async Task<IResult> GetForClient(Guid clientId, IDocumentSession session, TimeProvider clock, HttpContext http) =>
        (await ReadAsync(clientId, session, clock, http)).ToResult(http);

    /// <summary>The insurance with its history, for the client or their own provider; the audit entry is committed here.</summary>
    internal static async Task<Outcome<InsuranceView>> ReadAsync(Guid clientId, IDocumentSession session, TimeProvider clock,
        HttpContext http)
    {
        var card = await InsuranceAccess.SeeAsync(session, http, clientId);
        if (!card.Succeeded) return card.Refusal;
        var insurance = await session.LoadAsync<ClientInsurance>(clientId, http.RequestAborted);
        var events = insurance is null ? [] : await session.Events.FetchStreamAsync(clientId, token: http.RequestAborted);
        Audit.Record(session, http, clock, "insurance.read", nameof(ClientInsurance), clientId.ToString(), clientId);
        await session.SaveChangesAsync(http.RequestAborted);
        return InsuranceView.From(card.Value, insurance, events.Select(e => e.Data));
    }
}

/// <summary>
/// The insurance section of a client's profile in the provider console: Last Updated (when, by the client or a
/// provider), the plans with their card photos and review status, the review actions, and the history. Renders
/// nothing for anyone but the client's own provider, and support under a break-glass grant (without the actions).
/// </summary>
[ViewComponent(Name = "InsuranceSection")]
public sealed class InsuranceSection(IDocumentSession session, TimeProvider clock) : ClientProfileSection
{
    public override int Order => 40;

    public async Task<IViewComponentResult> InvokeAsync(Guid clientId)
    {
        if (CurrentUser.From(UserClaimsPrincipal) is not ({ HandlesBilling: true } or { IsSupport: true })) return Content(string.Empty);
        // A client just added may not be in this module's copy yet: the profile waits for it rather than leave a gap.
        await RosterArrival.CardAsync<InsuranceClient>(session, clientId, HttpContext.RequestAborted);
        var view = await ReadInsuranceEndpoints.ReadAsync(clientId, session, clock, HttpContext);
        return view.Succeeded ? View(view.Value) : Content(string.Empty);
    }
}

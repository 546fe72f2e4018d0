using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Data;
using Portal.Forms.Roster;

namespace Portal.Forms.Shared;

/// <summary>
/// Per-record authorization for this module. A client sees their own records, a provider their own clients' records
/// and their practice's documents and forms, support everything but health information (that only under a break-glass
/// grant, <see cref="IBreakGlassGrants"/>); anyone else is told the record does not exist.
/// </summary>
internal static class FormsAccess
{
    /// <summary>The client card when the caller may see this client; null otherwise (and the refusal is audited).</summary>
    public static async Task<FormsClient?> VisibleClientAsync(SliceContext context, Guid clientId) =>
        await VisibleAsync(context, clientId, await context.Session.LoadAsync<FormsClient>(clientId, context.Cancellation));

    /// <summary>
    /// As <see cref="VisibleClientAsync"/>, for asking something of the client (scheduling an assessment): a client this
    /// copy does not know yet is waited for (<see cref="RosterArrival"/>), so a request right after the client was
    /// added is not refused.
    /// </summary>
    public static async Task<FormsClient?> ClientToAskAsync(SliceContext context, Guid clientId) =>
        await VisibleAsync(context, clientId,
            await RosterArrival.CardAsync<FormsClient>(context.Session, clientId, context.Cancellation));

    private static async Task<FormsClient?> VisibleAsync(SliceContext context, Guid clientId, FormsClient? card)
    {
        var user = context.User;
        if (user is not null && card is not null && card.IsVisibleTo(user)) return card;
        context.Audit("forms.client.denied", nameof(FormsClient), clientId.ToString(), outcome: "denied");
        await context.Session.SaveChangesAsync(context.Cancellation);
        return null;
    }

    /// <summary>
    /// The client card when the caller may see this client's health information (assessments, intake answers, signed
    /// contents): 404 when the client is not visible to them, 403 for support without an open break-glass grant.
    /// </summary>
    public static async Task<Outcome<FormsClient>> HealthOfClientAsync(SliceContext context, Guid clientId)
    {
        var card = await VisibleClientAsync(context, clientId);
        if (card is null) return Refusal.NotFound("client");
        return await HealthVisibleAsync(context, card) ?? Outcome<FormsClient>.Ok(card);
    }

    /// <summary>
    /// Null when the caller, who may see the client, may see their health information; else the refusal (audited).
    /// A front desk or biller sees the client but never clinical content (403), whatever page or section asks.
    /// </summary>
    public static async Task<Refusal?> HealthVisibleAsync(SliceContext context, FormsClient card)
    {
        if (context.User is not { } user) return Refusal.NotFound("client");
        if (user.IsClient && !user.MaySeeResults)
        {
            // A contact the practice did not let see results (a grandparent who only completes forms) never reads them.
            context.Audit("forms.health.hidden", nameof(FormsClient), card.Id.ToString(), card.Id, outcome: "contact-without-results");
            await context.Session.SaveChangesAsync(context.Cancellation);
            return ResultsNotShared;
        }
        if (user.IsProvider && !user.IsClinical)
        {
            context.Audit("forms.health.hidden", nameof(FormsClient), card.Id.ToString(), card.Id, outcome: "role");
            await context.Session.SaveChangesAsync(context.Cancellation);
            return ClinicalOnly;
        }
        var grants = context.Http.RequestServices.GetRequiredService<IBreakGlassGrants>();
        if (await grants.MaySeeAsync(user, card.Id, context.Cancellation)) return null;
        context.Audit("forms.health.hidden", nameof(FormsClient), card.Id.ToString(), card.Id, outcome: "break-glass-required");
        await context.Session.SaveChangesAsync(context.Cancellation);
        return HealthInformation.HiddenFromSupport.With("clientId", card.Id);
    }

    /// <summary>403 for a contact acting for a client without "see results".</summary>
    public static readonly Refusal ResultsNotShared = Refusal.Forbidden("The practice does not share results with you.",
        "Answers, scores and signed copies of this record are shown to the client and to contacts the practice allows to see results.");

    /// <summary>403 for a practice member whose role does not see clinical content (front desk, biller).</summary>
    public static readonly Refusal ClinicalOnly = Refusal.Forbidden("Clinical information is for the client's clinicians.",
        "Answers, scores, signed contents and safety flags are shown to the practice's owner and the client's clinicians.");

    /// <summary>The signed-in client's own card, or null when the roster has not told this module about them.</summary>
    public static async Task<FormsClient?> SignedInClientAsync(IQuerySession session, ClaimsPrincipal principal, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal);
        if (user is not { IsClient: true, ClientId: { } clientId }) return null;
        return await session.LoadAsync<FormsClient>(clientId, cancellation);
    }

    /// <summary>Whether a provider (or support) may manage content owned by this practice and provider.</summary>
    public static bool CanManage(CurrentUser? user, Guid practiceId, Guid providerId) =>
        user is not null && (user.IsSupport
            || (user.IsClinical && (user.ProviderId == providerId || (user.PracticeId is { } practice && practice == practiceId))));

    /// <summary>The practice a provider's new content belongs to.</summary>
    public static (Guid PracticeId, Guid ProviderId)? Owner(CurrentUser? user) =>
        user is { IsProvider: true, ProviderId: { } providerId }
            ? (user.PracticeId ?? providerId, providerId)
            : null;
}

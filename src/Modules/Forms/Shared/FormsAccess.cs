using System.Security.Claims;
using Portal.Forms.Roster;

namespace Portal.Forms.Shared;

/// <summary>
/// Per-record authorization for this module. A client sees their own records, a provider their own clients' records
/// and their practice's documents and forms, support everything; anyone else is told the record does not exist.
/// </summary>
internal static class FormsAccess
{
    /// <summary>The client card when the caller may see this client; null otherwise (and the refusal is audited).</summary>
    public static async Task<FormsClient?> VisibleClientAsync(SliceContext context, Guid clientId)
    {
        var user = context.User;
        var card = await context.Session.LoadAsync<FormsClient>(clientId, context.Cancellation);
        if (user is not null && card is not null && card.IsVisibleTo(user)) return card;
        context.Audit("forms.client.denied", nameof(FormsClient), clientId.ToString(), outcome: "denied");
        await context.Session.SaveChangesAsync(context.Cancellation);
        return null;
    }

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
            || (user.IsProvider && (user.ProviderId == providerId || (user.PracticeId is { } practice && practice == practiceId))));

    /// <summary>The practice a provider's new content belongs to.</summary>
    public static (Guid PracticeId, Guid ProviderId)? Owner(CurrentUser? user) =>
        user is { IsProvider: true, ProviderId: { } providerId }
            ? (user.PracticeId ?? providerId, providerId)
            : null;
}

using Portal.Forms.Roster;

namespace Portal.Forms.Safety;

/// <summary>
/// <c>GET /api/clients/{clientId}/safety-flags</c>: every safety flag of a client, newest first, open or acknowledged
/// (with who, when and the note). Guarded like the assessment results it comes from: the client's provider, and
/// support only under a break-glass grant (403 otherwise); anyone else gets 404. The read is audited.
/// </summary>
public static class GetClientSafetyFlagsEndpoint
{
    [WolverineGet("/api/clients/{clientId}/safety-flags"), Authorize(Policy = PortalPolicies.Staff)]
    public static async Task<IResult> Get(Guid clientId, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        (await ListAsync(clientId, new SliceContext(http, session, clock))).ToResult(http);

    internal static async Task<Outcome<IReadOnlyList<SafetyFlagView>>> ListAsync(Guid clientId, SliceContext context)
    {
        var access = await FormsAccess.HealthOfClientAsync(context, clientId);
        if (access.Refusal is { } refusal) return refusal;
        var card = access.Value!;
        var flags = await context.Session.Query<SafetyFlag>().Where(f => f.ClientId == clientId)
            .OrderByDescending(f => f.RaisedAt).ToListAsync(context.Cancellation);
        context.Audit("forms.safety-flag.read", nameof(SafetyFlag), null, clientId);
        await context.Session.SaveChangesAsync(context.Cancellation);
        IReadOnlyList<SafetyFlagView> views = flags.Select(f => SafetyFlagView.Of(f, card.DisplayName)).ToList();
        return Outcome<IReadOnlyList<SafetyFlagView>>.Ok(views);
    }
}

/// <summary>
/// <c>GET /api/console/safety-flags</c>: the open flags of the clients the signed-in clinical member sees (the owner:
/// the practice's; a clinician: their own and their care teams'), oldest first: the console's "Needs attention" panel.
/// Support, the front desk and the biller get none here.
/// </summary>
public static class GetOpenSafetyFlagsEndpoint
{
    [WolverineGet("/api/console/safety-flags"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Get(HttpContext http, IDocumentSession session, TimeProvider clock) =>
        Results.Ok(await ListAsync(new SliceContext(http, session, clock)));

    internal static async Task<IReadOnlyList<SafetyFlagView>> ListAsync(SliceContext context)
    {
        if (context.User is not { IsClinical: true, PracticeId: { } practiceId } user) return [];
        var session = context.Session;
        var flags = await session.Query<SafetyFlag>().Where(f => f.PracticeId == practiceId && f.AcknowledgedAt == null)
            .OrderBy(f => f.RaisedAt).ToListAsync(context.Cancellation);
        if (flags.Count == 0) return [];
        var ids = flags.Select(f => f.ClientId).Distinct().ToArray();
        var cards = (await session.LoadManyAsync<FormsClient>(context.Cancellation, ids)).ToDictionary(c => c.Id);
        // Who sees a flag is who sees the client, as the roster says now: the owner, the primary, the care team.
        var views = flags
            .Where(f => cards.TryGetValue(f.ClientId, out var card) && card.IsVisibleTo(user))
            .Select(f => SafetyFlagView.Of(f, cards[f.ClientId].DisplayName))
            .ToList();
        context.Audit("forms.safety-flag.read", nameof(SafetyFlag), null);
        await session.SaveChangesAsync(context.Cancellation);
        return views;
    }
}

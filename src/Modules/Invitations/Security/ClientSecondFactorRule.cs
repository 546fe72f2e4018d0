using Portal.Invitations.Accounts;

namespace Portal.Invitations.Security;

/// <summary>
/// A practice's sign-in rule for its clients (under the practice's id): a second factor stays optional unless the owner
/// requires it. Then a client's next sign-in carries <see cref="PortalClaims.SecondFactorRequired"/> and the gate holds
/// their portal until they set one up, as it does for staff. A login acting for records of several practices follows
/// the strictest.
/// </summary>
public sealed class ClientSignInRule
{
    public Guid Id { get; set; }
    public bool RequireSecondFactor { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid UpdatedBy { get; set; }
}

public sealed record ClientSignInRuleRequest(bool RequireSecondFactor);

public sealed record ClientSignInRuleView(Guid PracticeId, bool RequireSecondFactor);

public static class ClientSignInRuleEndpoint
{
    [WolverineGet("/api/console/practice/client-sign-in")]
    [Authorize(Policy = PortalPolicies.Owner)]
    public static async Task<ClientSignInRuleView> Get(HttpContext http, IQuerySession session)
    {
        var practiceId = CurrentUser.From(http.User)!.PracticeId!.Value;
        var rule = await session.LoadAsync<ClientSignInRule>(practiceId, http.RequestAborted);
        return new ClientSignInRuleView(practiceId, rule?.RequireSecondFactor ?? false);
    }

    [WolverinePut("/api/console/practice/client-sign-in")]
    [Authorize(Policy = PortalPolicies.Owner)]
    public static async Task<ClientSignInRuleView> Put(ClientSignInRuleRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock)
    {
        var view = ClientSecondFactorRule.Set(request.RequireSecondFactor, http, session, clock);
        return view;
    }
}

internal static class ClientSecondFactorRule
{
    public static ClientSignInRuleView Set(bool required, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var user = CurrentUser.From(http.User)!;
        var practiceId = user.PracticeId!.Value;
        session.Store(new ClientSignInRule
        {
            Id = practiceId, RequireSecondFactor = required, UpdatedAt = clock.GetUtcNow(), UpdatedBy = user.UserId,
        });
        Audit.Record(session, http, clock, "practice.client-second-factor", nameof(ClientSignInRule), practiceId.ToString(),
            outcome: required ? "required" : "optional");
        return new ClientSignInRuleView(practiceId, required);
    }

    /// <summary>Whether a client's login must prove a second factor: one of its records' practices requires it.</summary>
    public static async Task<bool> RequiredForAsync(IQuerySession session, Account account, CancellationToken cancellation)
    {
        if (account.Role != PortalRoles.Client) return false;
        var ids = account.ActsFor.Select(f => f.ClientId).ToList();
        if (account.ClientId is { } own) ids.Add(own);
        if (ids.Count == 0) return false;
        var practices = (await session.LoadManyAsync<Roster.InvitationsClient>(cancellation, ids)).Select(c => c.PracticeId).Distinct().ToArray();
        if (practices.Length == 0) return false;
        var rules = await session.LoadManyAsync<ClientSignInRule>(cancellation, practices);
        return rules.Any(r => r.RequireSecondFactor);
    }
}

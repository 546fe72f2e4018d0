using Portal.Invitations.Roster;

namespace Portal.Invitations.BreakGlass;

/// <summary>
/// Break-glass: a support user opens one client's health information by recording why. The grant is theirs alone,
/// for this client, for a limited time (<see cref="GrantLength"/>); it is audited with the reason, and the client's
/// provider is told who opened it and why (<see cref="HealthAccessOpened"/>). Opening again while a grant runs
/// answers the running grant.
/// </summary>
public sealed record OpenHealthAccessRequest(string? Reason);

internal sealed class OpenHealthAccessValidator : AbstractValidator<OpenHealthAccessRequest>
{
    public const int MaxReason = 500;

    public OpenHealthAccessValidator()
    {
        RuleFor(r => r.Reason).NotEmpty().WithMessage("Give the reason you need to see this client's health information.")
            .MaximumLength(MaxReason).WithMessage($"The reason must be at most {MaxReason} characters.");
    }
}

/// <summary>A running grant as support sees it: until when, and why.</summary>
internal sealed record HealthAccessView(Guid GrantId, Guid ClientId, string Reason, DateTimeOffset OpenedAt, DateTimeOffset ExpiresAt)
{
    public static HealthAccessView From(HealthAccessGrant g) => new(g.Id, g.ClientId, g.Reason, g.OpenedAt, g.ExpiresAt);
}

public static class OpenHealthAccessEndpoint
{
    [WolverinePost("/api/support/clients/{clientId}/health-access")]
    [Authorize(Policy = PortalPolicies.Support)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid clientId, OpenHealthAccessRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock, IConfiguration configuration)
    {
        var (outcome, messages) = await OpenAsync(clientId, request, http, session, clock, configuration);
        return (outcome.ToResult(http), messages);
    }

    internal static async Task<(Outcome<HealthAccessView>, OutgoingMessages)> OpenAsync(Guid clientId, OpenHealthAccessRequest request,
        HttpContext http, IDocumentSession session, TimeProvider clock, IConfiguration configuration)
    {
        // The page calls this outside Wolverine's validation policy: validate here too, for both.
        if (new OpenHealthAccessValidator().Validate(request).AsRefusal() is { } invalid) return (invalid, []);
        var user = CurrentUser.From(http.User);
        var card = await session.LoadAsync<InvitationsClient>(clientId, http.RequestAborted);
        if (user is not { IsSupport: true } || card is null) return (Refusal.NotFound("client"), []);

        var now = clock.GetUtcNow();
        if (await BreakGlassGrants.OpenGrantAsync(session, user.UserId, clientId, now, http.RequestAborted) is { } running)
            return (HealthAccessView.From(running), []);
        // Opening health information asks for support's second factor again when it was used over ten minutes ago.
        if (SecondFactor.StepUp(user, now) is { } stepUp) return (stepUp, []);

        var grant = new HealthAccessGrant
        {
            Id = Guid.CreateVersion7(),
            SupportUserId = user.UserId,
            SupportName = user.DisplayName,
            ClientId = clientId,
            ProviderId = card.ProviderId,
            Reason = request.Reason!.Trim(),
            OpenedAt = now,
            ExpiresAt = now + GrantLength.From(configuration),
        };
        session.Store(grant);
        // The reason is support's own words about why, not health information: it belongs in the audit trail.
        Audit.Record(session, http, clock, "health.break-glass.opened", nameof(HealthAccessGrant), grant.Id.ToString(), clientId,
            $"reason: {grant.Reason}; until {grant.ExpiresAt:O}");
        return (Outcome<HealthAccessView>.Ok(HealthAccessView.From(grant), StatusCodes.Status201Created),
            [new HealthAccessOpened(grant.Id, clientId, card.ProviderId, user.AsActor(), grant.Reason, now, grant.ExpiresAt)]);
    }
}

/// <summary>The support user's running grant to a client (404 when none runs), for the banner's time left.</summary>
public static class GetHealthAccessEndpoint
{
    [WolverineGet("/api/support/clients/{clientId}/health-access")]
    [Authorize(Policy = PortalPolicies.Support)]
    public static async Task<IResult> Get(Guid clientId, HttpContext http, IQuerySession session, TimeProvider clock) =>
        (await FindAsync(clientId, http, session, clock)).ToResult(http);

    internal static async Task<Outcome<HealthAccessView>> FindAsync(Guid clientId, HttpContext http, IQuerySession session, TimeProvider clock)
    {
        var user = CurrentUser.From(http.User);
        if (user is not { IsSupport: true }) return Refusal.NotFound("grant");
        var grant = await BreakGlassGrants.OpenGrantAsync(session, user.UserId, clientId, clock.GetUtcNow(), http.RequestAborted);
        return grant is null ? Refusal.NotFound("grant") : HealthAccessView.From(grant);
    }
}

/// <summary>Support ends its grant before it runs out; audited. Ending a grant that no longer runs is a no-op (204).</summary>
public static class EndHealthAccessEndpoint
{
    [WolverineDelete("/api/support/clients/{clientId}/health-access")]
    [Authorize(Policy = PortalPolicies.Support)]
    public static async Task<IResult> Delete(Guid clientId, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        (await EndAsync(clientId, http, session, clock)).ToResult(http);

    internal static async Task<Outcome<bool>> EndAsync(Guid clientId, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var user = CurrentUser.From(http.User);
        if (user is not { IsSupport: true }) return Refusal.NotFound("grant");
        var now = clock.GetUtcNow();
        var grant = await BreakGlassGrants.OpenGrantAsync(session, user.UserId, clientId, now, http.RequestAborted);
        if (grant is not null)
        {
            grant.EndedAt = now;
            session.Store(grant);
            Audit.Record(session, http, clock, "health.break-glass.ended", nameof(HealthAccessGrant), grant.Id.ToString(), clientId);
        }
        return Outcome<bool>.Ok(grant is not null, StatusCodes.Status204NoContent);
    }
}

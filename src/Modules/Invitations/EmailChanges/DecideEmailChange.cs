using Portal.Invitations.Accounts;
using Portal.Invitations.Roster;

namespace Portal.Invitations.EmailChanges;

/// <summary>
/// A member who handles the client's access (owner, clinician on the client's team, front desk) approves or rejects an
/// email change. Approval emails a confirmation link to the new address;
/// the change applies when that link is used (or when support carries it out).
/// </summary>
public static class DecideEmailChangeEndpoint
{
    [WolverinePost("/api/console/email-changes/{requestId}/approve")]
    [Authorize(Policy = PortalPolicies.FrontOffice)]
    public static async Task<(IResult, OutgoingMessages)> Approve(Guid requestId, HttpContext http, IDocumentSession session, TimeProvider clock,
        IDataProtectionProvider protection, IConfiguration configuration)
    {
        var (outcome, messages) = await EmailChangeDecisions.ApproveAsync(requestId, http, session, clock, protection, configuration);
        return (outcome.ToResult(http), messages);
    }

    [WolverinePost("/api/console/email-changes/{requestId}/reject")]
    [Authorize(Policy = PortalPolicies.FrontOffice)]
    public static async Task<IResult> Reject(Guid requestId, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        (await EmailChangeDecisions.RejectAsync(requestId, http, session, clock)).ToResult(http);
}

internal static class EmailChangeDecisions
{
    /// <summary>Approved: the new address is sent a link to confirm the change.</summary>
    public static async Task<(Outcome<EmailChangeRequest>, OutgoingMessages)> ApproveAsync(Guid requestId, HttpContext http, IDocumentSession session,
        TimeProvider clock, IDataProtectionProvider protection, IConfiguration configuration)
    {
        var found = await DecideAsync(requestId, EmailChangeStatus.AwaitingConfirmation, http, session, clock);
        if (!found.Succeeded) return (found, []);
        // Checked after the request is found, so a caller who may not see it still hears 404 or 403 first.
        if (SecondFactor.StepUp(CurrentUser.From(http.User)!, clock.GetUtcNow()) is { } stepUp) return (stepUp, []);
        var change = found.Value;
        var token = SecretTokens.New();
        change.ConfirmationTokenHash = SecretTokens.Hash(token);
        var expiresAt = change.DecidedAt.GetValueOrDefault() + EmailChangeFlow.ConfirmFor;
        change.ConfirmationExpiresAt = expiresAt;
        session.Store(change);
        var card = await session.LoadAsync<InvitationsClient>(change.ClientId);
        var link = SecretLinks.Create(protection, configuration, $"/confirm-email?token={token}");
        Audit.Record(session, http, clock, "email-change.approved", "EmailChangeRequest", change.Id.ToString(), change.ClientId);
        return (found, [new EmailVerificationRequested(change.Id, change.NewEmail, card?.FirstName ?? string.Empty, link, expiresAt)]);
    }

    public static async Task<Outcome<EmailChangeRequest>> RejectAsync(Guid requestId, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var found = await DecideAsync(requestId, EmailChangeStatus.Rejected, http, session, clock);
        if (!found.Succeeded) return found;
        session.Store(found.Value);
        Audit.Record(session, http, clock, "email-change.rejected", "EmailChangeRequest", found.Value.Id.ToString(), found.Value.ClientId);
        return found;
    }

    /// <summary>A request of a client the member may see, still waiting for a decision, marked decided (the caller stores it), or why it cannot be.</summary>
    private static async Task<Outcome<EmailChangeRequest>> DecideAsync(Guid requestId, EmailChangeStatus decision, HttpContext http,
        IDocumentSession session, TimeProvider clock)
    {
        var user = CurrentUser.From(http.User)!;
        // The access page admits support too; support applies a change (ConfirmEmailChange), it does not decide one.
        if (!user.Passes(PortalPolicies.FrontOffice))
            return Refusal.Forbidden("Not allowed.", "The client's clinician, the front desk or the owner decides an email change.");
        var change = await session.LoadAsync<EmailChangeRequest>(requestId);
        var card = change is null ? null : await session.LoadAsync<InvitationsClient>(change.ClientId);
        if (change is null || card is null || !card.IsVisibleTo(user)) return new Refusal(StatusCodes.Status404NotFound, "No such request.");
        if (change.Status != EmailChangeStatus.AwaitingProvider) return Refusal.Conflict("This request was already decided.");
        change.Status = decision;
        change.DecidedAt = clock.GetUtcNow();
        change.DecidedBy = user.UserId;
        return Outcome<EmailChangeRequest>.Ok(change, StatusCodes.Status204NoContent);
    }
}

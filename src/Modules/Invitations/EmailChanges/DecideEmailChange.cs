using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Portal.Contracts;
using Portal.Invitations.Accounts;
using Portal.Invitations.Roster;
using Wolverine;
using Wolverine.Http;

namespace Portal.Invitations.EmailChanges;

/// <summary>
/// The client's provider approves or rejects an email change. Approval emails a confirmation link to the new address;
/// the change applies when that link is used (or when support carries it out).
/// </summary>
public static class DecideEmailChangeEndpoint
{
    [WolverinePost("/api/console/email-changes/{requestId}/approve")]
    [Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<(IResult, OutgoingMessages)> Approve(Guid requestId, ClaimsPrincipal principal, HttpContext http, IDocumentSession session,
        TimeProvider clock, IDataProtectionProvider protection, IConfiguration configuration)
    {
        var (problem, change) = await FindAsync(requestId, principal, session);
        if (problem is not null) return (problem, []);
        var message = EmailChangeDecisions.Approve(change!, CurrentUser.From(principal)!, session, clock, protection, configuration);
        var card = await session.LoadAsync<InvitationsClient>(change!.ClientId);
        Audit.Record(session, http, clock, "email-change.approved", "EmailChangeRequest", change.Id.ToString(), change.ClientId);
        return (Results.NoContent(), [message with { FirstName = card?.FirstName ?? string.Empty }]);
    }

    [WolverinePost("/api/console/email-changes/{requestId}/reject")]
    [Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Reject(Guid requestId, ClaimsPrincipal principal, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var (problem, change) = await FindAsync(requestId, principal, session);
        if (problem is not null) return problem;
        change!.Status = EmailChangeStatus.Rejected;
        change.DecidedAt = clock.GetUtcNow();
        change.DecidedBy = CurrentUser.From(principal)!.UserId;
        session.Store(change);
        Audit.Record(session, http, clock, "email-change.rejected", "EmailChangeRequest", change.Id.ToString(), change.ClientId);
        return Results.NoContent();
    }

    internal static async Task<(IResult?, EmailChangeRequest?)> FindAsync(Guid requestId, ClaimsPrincipal principal, IQuerySession session)
    {
        var user = CurrentUser.From(principal)!;
        var change = await session.LoadAsync<EmailChangeRequest>(requestId);
        if (change is null || change.ProviderId != user.ProviderId) return (Results.Problem(statusCode: 404, title: "No such request."), null);
        if (change.Status != EmailChangeStatus.AwaitingProvider) return (Results.Problem(statusCode: 409, title: "This request was already decided."), null);
        return (null, change);
    }
}

internal static class EmailChangeDecisions
{
    public static EmailVerificationRequested Approve(EmailChangeRequest change, CurrentUser user, IDocumentSession session, TimeProvider clock,
        IDataProtectionProvider protection, IConfiguration configuration)
    {
        var now = clock.GetUtcNow();
        var token = SecretTokens.New();
        change.Status = EmailChangeStatus.AwaitingConfirmation;
        change.DecidedAt = now;
        change.DecidedBy = user.UserId;
        change.ConfirmationTokenHash = SecretTokens.Hash(token);
        change.ConfirmationExpiresAt = now + EmailChangeFlow.ConfirmFor;
        session.Store(change);
        var link = SecretLinks.Create(protection, configuration, $"/confirm-email?token={token}");
        return new EmailVerificationRequested(change.Id, change.NewEmail, string.Empty, link, change.ConfirmationExpiresAt.Value);
    }
}

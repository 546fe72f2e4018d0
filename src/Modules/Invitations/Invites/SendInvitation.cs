using Portal.BuildingBlocks.Concurrency;
using Portal.BuildingBlocks.Data;
using Portal.Invitations.Roster;

namespace Portal.Invitations.Invites;

internal sealed record InvitationSent(Guid InvitationId, DateTimeOffset SentAt, DateTimeOffset ExpiresAt);

/// <summary>
/// The provider sends (or resends) the invitation. A resend replaces the pending invitation: the old link stops
/// working. An ineligible client or one with an account gets nothing, and the provider is told why (409).
/// </summary>
public static class SendInvitationEndpoint
{
    [WolverinePost("/api/console/clients/{clientId}/invitation")]
    [Authorize(Policy = PortalPolicies.FrontOfficeOrSupport)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid clientId, HttpContext http, IDocumentSession session, TimeProvider clock,
        IDataProtectionProvider protection, IConfiguration configuration)
    {
        var (outcome, messages) = await SendAsync(clientId, http, session, clock, protection, configuration);
        return (outcome.ToResult(http), messages);
    }

    internal static async Task<(Outcome<InvitationSent>, OutgoingMessages)> SendAsync(Guid clientId, HttpContext http, IDocumentSession session,
        TimeProvider clock, IDataProtectionProvider protection, IConfiguration configuration)
    {
        var user = CurrentUser.From(http.User)!;
        // A client just added may not be in this copy yet: wait for it (RosterArrival) before taking the client's edit lock,
        // which the roster handler writing the copy takes too. The rules below read the card again under the lock.
        if (await RosterArrival.CardAsync<InvitationsClient>(session.DocumentStore, clientId, http.RequestAborted) is null)
            return (new Refusal(StatusCodes.Status404NotFound, "No such client."), []);
        var client = await EditLock.LoadLockedAsync<InvitationsClient>(session, clientId, http.RequestAborted);
        if (client is null || !client.IsVisibleTo(user)) return (new Refusal(StatusCodes.Status404NotFound, "No such client."), []);

        var refusal = await InvitationSender.WhyNotAsync(session, client, clock.GetUtcNow(), replacePending: true);
        if (refusal != InvitationRefusal.None) return (Refusal.Conflict(InvitationSender.Explain(refusal)).With("reason", refusal.ToString()), []);

        var issued = new IssuedInvitations();
        var email = await InvitationSender.IssueAsync(session, client, clock, protection, configuration, issued);
        Audit.Record(session, http, clock, "invitation.sent", "Invitation", email.InvitationId.ToString(), client.Id);
        return (new InvitationSent(email.InvitationId, clock.GetUtcNow(), email.ExpiresAt), issued.ToMessages());
    }
}

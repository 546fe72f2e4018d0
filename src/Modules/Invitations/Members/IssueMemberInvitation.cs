using Microsoft.Extensions.Logging;
using Portal.Invitations.Accounts;
using Portal.Invitations.Roster;

namespace Portal.Invitations.Members;

/// <summary>
/// An owner invited a member (or asked for a fresh link): the member gets an invitation unless their account is
/// already active or they were deactivated since. The new link replaces any open one. A replayed request (same
/// <see cref="MemberInvitationRequested.RequestId"/>) finds its invitation and issues nothing more.
/// </summary>
public static class IssueMemberInvitationHandler
{
    public static async Task<OutgoingMessages> Handle(MemberInvitationRequested request, IDocumentSession session, TimeProvider clock,
        IDataProtectionProvider protection, IConfiguration configuration, ILogger<InvitationsModule> logger, CancellationToken cancellation)
    {
        await MemberInvitations.LockMemberAsync(session, request.ProviderId, cancellation);
        if (await session.Query<MemberInvitation>().AnyAsync(i => i.Id == request.RequestId, cancellation)) return [];

        var account = await session.Query<Account>().FirstOrDefaultAsync(a => a.ProviderId == request.ProviderId, cancellation);
        var card = await session.LoadAsync<InvitationsProvider>(request.ProviderId, cancellation);
        if (account is { Active: true } || card is { Active: false })
        {
            logger.LogInformation("No member invitation for {ProviderId}: {Reason}", request.ProviderId,
                account is { Active: true } ? "already active" : "deactivated");
            return [];
        }

        // The roster's copy, once here, has the newest address and role; the request has them until then.
        var email = await MemberInvitations.IssueAsync(session, request.RequestId, request.ProviderId, card?.Email ?? request.Email,
            card?.Name ?? request.Name, request.PracticeName, card?.Role ?? request.Role, clock.GetUtcNow(), protection, configuration,
            cancellation);
        return [email];
    }
}

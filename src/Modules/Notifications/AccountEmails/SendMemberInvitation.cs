using Portal.BuildingBlocks.Concurrency;
using Portal.Notifications.Delivery;

namespace Portal.Notifications.AccountEmails;

/// <summary>
/// An invitation to join a practice's console as a member: the activation link stays protected until the email is
/// sent, as a client's invitation link does. Sent once per invitation (the delivery id follows the invitation).
/// </summary>
public sealed class SendMemberInvitationHandler
{
    public static async Task<OutgoingMessages> Handle(MemberInvitationEmailRequested request, IDocumentSession session, EmailSender sender,
        TimeProvider clock, CancellationToken cancellation)
    {
        var member = await session.LoadAsync<Roster.NotificationsProvider>(request.ProviderId, cancellation);
        var reader = await Roster.EmailReaders.ForAsync(session, member?.PracticeId, request.PracticeName, request.ProviderId, cancellation);
        var email = new SendEmail(DeterministicId.From("member-invitation", request.InvitationId), request.InvitationId, "member-invitation",
            request.Email,
            reader.Dress(new Dictionary<string, string>
            {
                ["firstName"] = request.FirstName,
                ["roleName"] = RoleWords(request.Role),
                ["expiresAt"] = reader.When(request.ExpiresAt),
            }),
            clock.GetUtcNow(), request.ActivationLink);
        var delivery = await EditLock.LoadLockedAsync<DeliveryRecord>(session, email.DeliveryId, cancellation);
        return await sender.SendNowAsync(session, email, delivery, cancellation);
    }

    private static string RoleWords(StaffRole role) => role switch
    {
        StaffRole.Owner => "an owner",
        StaffRole.Clinician => "a clinician",
        StaffRole.FrontDesk => "front desk staff",
        StaffRole.Biller => "a biller",
        _ => "a member",
    };
}

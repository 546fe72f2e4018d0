using Portal.BuildingBlocks.Concurrency;
using Portal.Notifications.Delivery;
using Portal.Notifications.Roster;

namespace Portal.Notifications.AccountEmails;

/// <summary>
/// An invitation to activate a portal account: the activation link stays protected until the email is sent. Sent in
/// this handler's transaction (<see cref="EmailSender.SendNowAsync"/>): a workflow assigned to 10,000 clients
/// sends 10,000 of them, and a SendEmail message each would double the envelopes and transactions they cost.
/// </summary>
public sealed class SendInvitationHandler
{
    public static async Task<OutgoingMessages> Handle(
        InvitationEmailRequested request, IDocumentSession session, EmailSender sender, TimeProvider clock, CancellationToken cancellation)
    {
        // The invitee has no zone of their own yet: the practice's, from its look, which also dresses the email.
        var reader = await EmailReaders.ForAsync(session, request.PracticeId, request.PracticeName, null, cancellation) with
        {
            Language = Portal.BuildingBlocks.Localization.PortalLanguages.IsSupported(request.Language) ? request.Language : "en",
        };
        var email = new SendEmail(DeterministicId.From("invitation", request.InvitationId), request.InvitationId, "invitation", request.Email,
            reader.Dress(new Dictionary<string, string>
            {
                ["firstName"] = request.FirstName,
                ["expiresAt"] = reader.When(request.ExpiresAt),
            }),
            clock.GetUtcNow(), request.ActivationLink);
        var delivery = await EditLock.LoadLockedAsync<DeliveryRecord>(session, email.DeliveryId, cancellation);
        return await sender.SendNowAsync(session, email, delivery, cancellation);
    }
}

using Portal.Contracts;
using Portal.Notifications.Delivery;

namespace Portal.Notifications.AccountEmails;

/// <summary>An invitation to activate a portal account: the activation link stays protected until the email is sent.</summary>
public sealed class SendInvitationHandler
{
    public static SendEmail Handle(InvitationEmailRequested request, TimeProvider clock) =>
        new(DeterministicId.From("invitation", request.InvitationId), request.InvitationId, "invitation", request.Email,
            new Dictionary<string, string>
            {
                ["firstName"] = request.FirstName,
                ["practiceName"] = request.PracticeName,
                ["expiresAt"] = Links.When(request.ExpiresAt),
            },
            clock.GetUtcNow(), request.ActivationLink);
}

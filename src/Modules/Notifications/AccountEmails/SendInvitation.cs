using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Portal.BuildingBlocks.Concurrency;
using Portal.Contracts;
using Portal.Notifications.Delivery;
using Wolverine;

namespace Portal.Notifications.AccountEmails;

/// <summary>
/// An invitation to activate a portal account: the activation link stays protected until the email is sent. Sent in
/// this handler's transaction (<see cref="SendEmailHandler.SendNowAsync"/>): a workflow assigned to 10,000 clients
/// sends 10,000 of them, and a SendEmail message each would double the envelopes and transactions they cost.
/// </summary>
public sealed class SendInvitationHandler
{
    public static async Task<OutgoingMessages> Handle(InvitationEmailRequested request, IDocumentSession session,
        IDataProtectionProvider protection, IConfiguration configuration, TimeProvider clock, ILogger<SendInvitationHandler> logger,
        CancellationToken cancellation)
    {
        var email = new SendEmail(DeterministicId.From("invitation", request.InvitationId), request.InvitationId, "invitation", request.Email,
            new Dictionary<string, string>
            {
                ["firstName"] = request.FirstName,
                ["practiceName"] = request.PracticeName,
                ["expiresAt"] = Links.When(request.ExpiresAt),
            },
            clock.GetUtcNow(), request.ActivationLink);
        var delivery = await EditLock.LoadLockedAsync<DeliveryRecord>(session, email.DeliveryId, cancellation);
        return await SendEmailHandler.SendNowAsync(session, email, delivery, SecretLinks.Unprotect(protection, email.Link), configuration,
            clock, logger, cancellation);
    }
}

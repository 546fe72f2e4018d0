using Marten;
using Portal.Contracts;
using Portal.Notifications.Delivery;
using Portal.Notifications.Roster;

namespace Portal.Notifications.AccountEmails;

public sealed class SendPasswordResetHandler
{
    public static async Task<SendEmail> Handle(PasswordResetEmailRequested request, IQuerySession session, TimeProvider clock, CancellationToken cancellation) =>
        new(DeterministicId.From("password-reset", request.RequestId), request.RequestId, "password-reset", request.Email,
            new Dictionary<string, string>
            {
                ["firstName"] = request.FirstName,
                ["practiceName"] = await Recipients.PracticeNameForAsync(session, request.Email, cancellation),
                ["expiresAt"] = Links.When(request.ExpiresAt),
            },
            clock.GetUtcNow(), request.ResetLink);
}

using Marten;
using Portal.Contracts;
using Portal.Notifications.Delivery;
using Portal.Notifications.Roster;

namespace Portal.Notifications.AccountEmails;

public sealed class SendEmailVerificationHandler
{
    public static async Task<SendEmail> Handle(EmailVerificationRequested request, IQuerySession session, TimeProvider clock, CancellationToken cancellation) =>
        new(DeterministicId.From("email-verification", request.RequestId), request.RequestId, "email-verification", request.Email,
            new Dictionary<string, string>
            {
                ["firstName"] = request.FirstName,
                ["practiceName"] = await Recipients.PracticeNameForAsync(session, request.Email, cancellation),
                ["expiresAt"] = Links.When(request.ExpiresAt),
            },
            clock.GetUtcNow(), request.VerificationLink);
}

using Portal.Notifications.Delivery;

namespace Portal.Notifications.AccountEmails;

/// <summary>An approved email change: the new address is sent the link that confirms it.</summary>
public sealed class SendEmailVerificationHandler
{
    public static Task<SendEmail> Handle(
        EmailVerificationRequested request, IQuerySession session, TimeProvider clock, CancellationToken cancellation) =>
        new AccountEmail("email-verification", request.RequestId, request.Email, request.FirstName, request.VerificationLink)
            .ComposeAsync(session, clock, reader => new() { ["expiresAt"] = reader.When(request.ExpiresAt) }, cancellation);
}

using Portal.Notifications.Delivery;

namespace Portal.Notifications.AccountEmails;

/// <summary>A password reset was asked for: the account's owner is sent the single-use link.</summary>
public sealed class SendPasswordResetHandler
{
    public static Task<SendEmail> Handle(
        PasswordResetEmailRequested request, IQuerySession session, TimeProvider clock, CancellationToken cancellation) =>
        new AccountEmail("password-reset", request.RequestId, request.Email, request.FirstName, request.ResetLink)
            .ComposeAsync(session, clock, reader => new() { ["expiresAt"] = reader.When(request.ExpiresAt) }, cancellation);
}

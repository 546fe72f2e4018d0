using Portal.Notifications.Delivery;

namespace Portal.Notifications.AccountEmails;

/// <summary>
/// Support reset a login's second factors: its owner is told, so a reset they did not ask for is noticed. Nothing in it
/// signs anyone in; it says what happens at the next sign-in.
/// </summary>
public sealed class SendSecondFactorsResetHandler
{
    public static Task<SendEmail> Handle(SecondFactorsReset reset, IQuerySession session, TimeProvider clock, CancellationToken cancellation) =>
        new AccountEmail("second-factors-reset", reset.EventId, reset.Email, reset.FirstName)
            .ComposeAsync(session, clock, reader => new()
            {
                ["changedAt"] = reader.When(reset.At),
                ["nextStep"] = reader.Words(reset.MustEnrolAgain
                    ? "When you next sign in, you will be asked to set up an authenticator app or a passkey again before you can continue."
                    : "You can sign in with your password, and set up an authenticator app or a passkey again from your account page."),
            }, cancellation);
}

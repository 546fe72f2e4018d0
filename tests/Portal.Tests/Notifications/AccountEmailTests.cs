using Marten;
using Portal.Contracts;
using Portal.Notifications.Delivery;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Notifications;

public sealed class AccountEmailTests(PortalFixture fixture) : NotificationTest(fixture)
{
    [Fact]
    public async Task An_invitation_is_emailed_once_with_its_activation_link_and_the_practice_name()
    {
        var url = "http://localhost:5000/activate?code=" + Guid.NewGuid().ToString("N");
        var request = new InvitationEmailRequested(Guid.NewGuid(), Guid.NewGuid(), "new.client@example.com", "Sam",
            PracticeName, Protect(url), Clock.GetUtcNow().AddDays(5));

        var tracked = await Publish(request);
        await Publish(request); // the same request again (a replay) sends nothing more

        // No SendEmail of its own: the handler of the request handed the email to SMTP (a bulk assignment sends thousands).
        tracked.FindEnvelopesWithMessageType<SendEmail>().ShouldBeEmpty();
        var email = Mail.Messages.ShouldHaveSingleItem();
        email.To.Mailboxes.ShouldHaveSingleItem().Address.ShouldBe("new.client@example.com");
        email.Subject.ShouldBe($"{PracticeName} invited you to your client portal");
        MailCapture.LinkIn(email).ShouldBe(url);
        email.HtmlBody!.ShouldContain(url);
        email.HtmlBody!.ShouldContain(PracticeName);
        email.MessageId.ShouldEndWith("@portal.localhost");

        var record = (await DeliveryLog()).ShouldHaveSingleItem();
        record.Status.ShouldBe(DeliveryStatus.Sent);
        record.To.ShouldBe("new.client@example.com");
        record.MessageId.ShouldBe(email.MessageId);
        record.CausedBy.ShouldBe(request.InvitationId);
    }

    [Fact]
    public async Task The_delivery_log_and_the_message_store_never_hold_the_raw_secret_link()
    {
        var secret = Guid.NewGuid().ToString("N");
        await Publish(new InvitationEmailRequested(Guid.NewGuid(), Guid.NewGuid(), "sam@example.com", "Sam", PracticeName,
            Protect("http://localhost:5000/activate?code=" + secret), Clock.GetUtcNow().AddDays(5)));

        Mail.Messages.ShouldHaveSingleItem();
        await using var session = OpenSession();
        var stored = await session.QueryAsync<string>(
            "select string_agg(data::text, ' ') from notifications.mt_doc_deliveryrecord");
        stored.ShouldHaveSingleItem().ShouldNotContain(secret);
    }

    [Fact]
    public async Task A_password_reset_is_emailed_with_its_link_and_the_clients_practice()
    {
        var provider = await GivenProvider();
        var client = await GivenClient(provider.ProviderId, email: "jane.doe@example.com");
        var url = "http://localhost:5000/reset?token=" + Guid.NewGuid().ToString("N");

        await Publish(new PasswordResetEmailRequested(Guid.NewGuid(), client.Email, "Jane", Protect(url), Clock.GetUtcNow().AddMinutes(30)));

        var email = Mail.To("jane.doe@example.com").ShouldHaveSingleItem();
        email.Subject.ShouldBe($"Reset your password for {PracticeName}");
        // The link names the client's practice, so the reset page wears its look.
        MailCapture.LinkIn(email).ShouldBe($"{url}&practice={PracticeId}");
    }

    [Fact]
    public async Task An_email_verification_is_sent_with_its_link()
    {
        var url = "http://localhost:5000/verify?token=" + Guid.NewGuid().ToString("N");

        await Publish(new EmailVerificationRequested(Guid.NewGuid(), "someone@example.com", "Kim", Protect(url), Clock.GetUtcNow().AddHours(1)));

        var email = Mail.To("someone@example.com").ShouldHaveSingleItem();
        email.Subject.ShouldBe("Confirm your email address for the client portal");
        MailCapture.LinkIn(email).ShouldBe(url);
    }

    [Fact]
    public async Task A_changed_login_email_is_announced_to_both_the_old_and_the_new_address()
    {
        var provider = await GivenProvider();
        var client = await GivenClient(provider.ProviderId);

        await Publish(new EmailAddressChanged(Guid.NewGuid(), client.ClientId, "Jane", "jane.doe@example.com", "jane@new.example",
            Clock.GetUtcNow()));

        Mail.Messages.Count.ShouldBe(2);
        var old = Mail.To("jane.doe@example.com").ShouldHaveSingleItem();
        old.Subject.ShouldBe($"Your email address with {PracticeName} was changed");
        old.TextBody!.ShouldContain("j***@new.example");
        old.TextBody!.ShouldNotContain("jane@new.example");
        Mail.To("jane@new.example").ShouldHaveSingleItem().Subject.ShouldBe($"This is now your email address with {PracticeName}");
    }

    [Fact]
    public async Task A_locked_account_owner_is_told_when_they_can_try_again()
    {
        var until = new DateTimeOffset(2030, 1, 2, 15, 30, 0, TimeSpan.Zero);

        await Publish(new AccountLocked(Guid.NewGuid(), "locked@example.com", "Lee", until));

        var email = Mail.To("locked@example.com").ShouldHaveSingleItem();
        email.TextBody!.ShouldContain("Jan 2, 2030, 10:30 AM EST");
    }
}

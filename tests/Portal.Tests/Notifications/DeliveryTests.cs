using Marten;
using Portal.Contracts;
using Portal.Notifications.Delivery;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Notifications;

public sealed class DeliveryTests(PortalFixture fixture) : NotificationTest(fixture)
{
    [Fact]
    public async Task When_the_SMTP_server_is_down_the_email_is_retried_and_arrives_once_after_it_comes_back()
    {
        await Mail.StopAsync();
        var request = new InvitationEmailRequested(Guid.NewGuid(), Guid.NewGuid(), "retry@example.com", "Rui", PracticeName,
            Protect("http://localhost:5000/activate?code=abc"), Clock.GetUtcNow().AddDays(5));

        // Bring the server back once the log shows a failed attempt.
        var recovery = Task.Run(async () =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                var log = await DeliveryLog();
                if (log.Any(r => r.Status == DeliveryStatus.Retrying)) break;
                await Task.Delay(20);
            }
            var failed = (await DeliveryLog()).ShouldHaveSingleItem();
            Mail.Start();
            return failed;
        });

        var tracked = await Publish(request);
        var whileDown = await recovery;

        whileDown.Status.ShouldBe(DeliveryStatus.Retrying);
        whileDown.LastError.ShouldNotBeNull().ShouldContain("unreachable");
        // The first attempt failed in the request's handler, which handed the email to SendEmail's retries.
        tracked.FindEnvelopesWithMessageType<SendEmail>().ShouldNotBeEmpty();
        Mail.To("retry@example.com").ShouldHaveSingleItem();
        var record = (await DeliveryLog()).ShouldHaveSingleItem();
        record.Status.ShouldBe(DeliveryStatus.Sent);
        record.Attempts.ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task A_message_the_server_refuses_for_good_is_dead_lettered_and_the_log_shows_the_failure()
    {
        Mail.Refuse("gone@example.com");

        var tracked = await Publish(new AccountLocked(Guid.NewGuid(), "gone@example.com", "Gus", Clock.GetUtcNow().AddMinutes(15)));
        var envelopeId = tracked.FindEnvelopesWithMessageType<SendEmail>().Select(r => r.Envelope!.Id).Distinct().ShouldHaveSingleItem();

        Mail.Messages.ShouldBeEmpty();
        var record = (await DeliveryLog()).ShouldHaveSingleItem();
        record.Status.ShouldBe(DeliveryStatus.Failed);
        record.Attempts.ShouldBe(1);
        record.LastError.ShouldNotBeNull().ShouldContain("554");

        await using var session = OpenSession();
        var deadLetter = await session.QueryAsync<string>(
            "select exception_type from wolverine.wolverine_dead_letters where id = ?", envelopeId);
        deadLetter.ShouldHaveSingleItem().ShouldEndWith("PermanentDeliveryException");
    }

    [Fact]
    public async Task A_send_already_recorded_in_the_delivery_log_is_not_sent_again()
    {
        // As after a crash between recording and acknowledging: the same SendEmail arrives a second time.
        var message = new SendEmail(Guid.NewGuid(), Guid.NewGuid(), "account-locked", "twice@example.com",
            new Dictionary<string, string> { ["firstName"] = "Tia", ["practiceName"] = PracticeName, ["lockedUntil"] = "soon" },
            Clock.GetUtcNow());

        await Publish(message, message); // twins handled side by side
        await Publish(message);           // and a late replay

        Mail.To("twice@example.com").ShouldHaveSingleItem();
        (await DeliveryLog()).ShouldHaveSingleItem().Attempts.ShouldBe(1);
    }
}

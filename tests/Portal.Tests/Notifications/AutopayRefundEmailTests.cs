using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Notifications;

public sealed class AutopayRefundEmailTests(PortalFixture fixture) : NotificationTest(fixture)
{
    [Fact]
    public async Task A_refund_is_emailed_to_the_client_and_to_a_contact_who_receives_the_records_emails_once_each()
    {
        var provider = await GivenProvider();
        var client = await GivenClient(provider.ProviderId, first: "Sam", email: "sam@example.com");
        var contactId = Guid.NewGuid();
        await Publish(new ClientContactsChanged(client.ClientId, PracticeId,
            [new ClientContactFacts(contactId, "Jane Doe", "jane@example.com", ContactRelationship.Parent, true, false, ReceivesEmails: true)], 1));
        await Publish(new ContactLoginChanged(client.ClientId, contactId, Guid.NewGuid(), "jane@example.com", true, Clock.GetUtcNow()));
        var refund = new AutopayPaymentRefunded(Guid.NewGuid(), client.ClientId, provider.ProviderId, "charge-1", 4550, "usd", "Visa",
            "4242", AutopayRefundReason.RequestedByClient, new DateTimeOffset(2030, 5, 6, 15, 0, 0, TimeSpan.Zero));

        await Publish(refund);
        await Publish(refund);

        var toClient = Mail.To("sam@example.com").ShouldHaveSingleItem();
        toClient.Subject.ShouldBe($"{PracticeName} refunded $45.50 of your payment");
        toClient.TextBody.ShouldNotBeNull().ShouldContain(
            $"{PracticeName} refunded $45.50 of your autopay payment on May 6, 2030 because you asked for a refund. " +
            "The money goes back to the Visa card ending in 4242");
        toClient.TextBody.ShouldContain("http://localhost:5000/portal/autopay");

        var toContact = Mail.To("jane@example.com").ShouldHaveSingleItem();
        toContact.Subject.ShouldBe($"{PracticeName} refunded $45.50 of Sam's payment");
        toContact.TextBody.ShouldNotBeNull().ShouldContain("Hello Jane,");
        toContact.TextBody.ShouldContain("of Sam's autopay payment on May 6, 2030 because a refund was asked for.");
        toContact.HtmlBody.ShouldNotBeNull().ShouldContain("Visa card ending in 4242");
    }
}

using Marten;
using Portal.Autopay.Accounts;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Autopay;

public sealed class CardExpiryTests(PortalFixture fixture) : AutopayTest(fixture)
{
    [Fact]
    public async Task The_client_is_reminded_30_days_before_the_card_expires_and_an_expired_card_suspends_autopay()
    {
        var client = await AClientAsync();
        var expiry = Clock.GetUtcNow().AddMonths(3);
        var (enrolled, _) = await EnrolWithCardAsync(client, "4242424242424242", expiry.Month, expiry.Year);
        var endOfValidity = new DateTimeOffset(expiry.Year, expiry.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);

        Clock.Advance(endOfValidity - TimeSpan.FromDays(30) - TimeSpan.FromMinutes(1) - Clock.GetUtcNow());
        var early = await enrolled.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        Published<AutopayCardExpiring>(early).ShouldBeEmpty();

        Clock.Advance(TimeSpan.FromMinutes(1));
        var reminded = await early.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        var reminder = Published<AutopayCardExpiring>(reminded).ShouldHaveSingleItem();
        reminder.ClientId.ShouldBe(client.ClientId);
        reminder.ProviderId.ShouldBe(client.Provider.ProviderId);
        reminder.CardBrand.ShouldBe("Visa");
        reminder.Last4.ShouldBe("4242");
        reminder.ExpiresOn.ShouldBe(DateOnly.FromDateTime(endOfValidity.UtcDateTime).AddDays(-1));
        Published<AutopayChanged>(reminded).ShouldBeEmpty();

        Clock.Advance(TimeSpan.FromDays(30));
        var expired = await reminded.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        Published<AutopayCardExpiring>(expired).ShouldBeEmpty();
        var suspended = Published<AutopayChanged>(expired).ShouldHaveSingleItem();
        suspended.Change.ShouldBe(AutopayChange.Suspended);
        suspended.Reason!.ShouldContain("expired");

        await using var session = OpenSession();
        var account = await session.LoadAsync<AutopayAccount>(AutopayStream.For(client.ClientId));
        account!.Status.ShouldBe(AutopayStatus.Suspended);
    }
}

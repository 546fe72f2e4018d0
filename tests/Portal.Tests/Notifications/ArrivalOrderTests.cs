using Marten;
using Portal.Contracts;
using Portal.Notifications.Inbox;
using Portal.Notifications.Roster;

namespace Portal.Tests.Notifications;

/// <summary>
/// A client's action can reach Notifications before its copy of the client or provider: the message is retried a
/// few times, then held (not dead-lettered) and handled when the copy arrives, with the outcome of the other order.
/// </summary>
public sealed class ArrivalOrderTests(PortalFixture fixture) : NotificationTest(fixture)
{
    [Fact]
    public async Task A_client_action_before_the_client_copy_is_held_and_tells_the_provider_once_the_copy_arrives()
    {
        var provider = await GivenProvider();
        var client = new ClientRosterChanged(Guid.NewGuid(), provider.ProviderId, PracticeId, PracticeName, "Jane", "Doe",
            "jane.doe@example.com", new DateOnly(1990, 4, 2), true, true, 1);

        await Publish(Signed(client.ClientId, provider.ProviderId));
        Mail.Messages.ShouldBeEmpty();
        (await HeldFor(client.ClientId)).ShouldBe(1);
        (await DeadLetters()).ShouldBe(0);

        await Publish(client);

        Mail.Messages.ShouldHaveSingleItem().Subject.ShouldBe("Jane D. signed \u201cConsent for Treatment\u201d");
        (await InboxOf(provider.ProviderId)).ShouldHaveSingleItem();
        (await HeldFor(client.ClientId)).ShouldBe(0);
    }

    [Fact]
    public async Task A_client_action_before_the_provider_copy_is_held_and_tells_the_provider_once_the_copy_arrives()
    {
        var provider = new ProviderRosterChanged(Guid.NewGuid(), PracticeId, PracticeName, "Dr. Ana Silva", "ana@lakeside.example", true, 1);
        var client = await GivenClient(provider.ProviderId);

        await Publish(Signed(client.ClientId, provider.ProviderId));
        Mail.Messages.ShouldBeEmpty();
        (await HeldFor(provider.ProviderId)).ShouldBe(1);

        await Publish(provider);

        Mail.Messages.ShouldHaveSingleItem().To.ToString().ShouldContain("ana@lakeside.example");
        (await HeldFor(provider.ProviderId)).ShouldBe(0);
        (await DeadLetters()).ShouldBe(0);
    }

    private ConsentFormSigned Signed(Guid clientId, Guid providerId) =>
        new(Guid.NewGuid(), clientId, providerId, Guid.NewGuid(), 1, "Consent for Treatment",
            new Actor(ActorKind.Client, Guid.NewGuid(), "Jane Doe"), Clock.GetUtcNow());

    private async Task<int> HeldFor(Guid id)
    {
        await using var session = OpenSession();
        return await session.Query<NotificationAwaitingRoster>().CountAsync(m => m.AwaitedId == id);
    }

    /// <summary>When this test started: Wolverine's tables are not reset between tests.</summary>
    private readonly DateTimeOffset started = DateTimeOffset.UtcNow.AddSeconds(-1);

    /// <summary>Dead letters of the action's type sent since this test started.</summary>
    private async Task<long> DeadLetters()
    {
        await using var session = OpenSession();
        return (await session.QueryAsync<long>(
            "select count(*) from wolverine.wolverine_dead_letters where message_type = ? and sent_at >= ?",
            typeof(ConsentFormSigned).FullName!, started)).Single();
    }

    private async Task<IReadOnlyList<ProviderNotification>> InboxOf(Guid providerId)
    {
        await using var session = OpenSession();
        return await session.Query<ProviderNotification>().Where(n => n.ProviderId == providerId).ToListAsync();
    }
}

using Marten;
using Portal.Contracts;
using Portal.Notifications.Inbox;
using Portal.Notifications.Preferences;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Notifications;

public sealed class DigestTests(PortalFixture fixture) : NotificationTest(fixture)
{
    [Fact]
    public async Task A_digest_batches_a_days_notifications_into_one_email_at_the_chosen_hour()
    {
        var provider = await GivenProvider(email: "digest@lakeside.example");
        var jane = await GivenClient(provider.ProviderId);
        var sam = await GivenClient(provider.ProviderId, "Sam", "Kim", "sam@example.com");
        var now = Clock.GetUtcNow();
        var digestHour = now.AddHours(3).Hour;
        await ChooseDigest(provider.ProviderId, digestHour);
        var actor = new Actor(ActorKind.Client, Guid.NewGuid(), "client");

        var day = await Publish(
            new InsuranceChanged(Guid.NewGuid(), jane.ClientId, jane.ProviderId, InsuranceChange.Updated, PlanRank.Primary, actor, now),
            new AssessmentCompleted(Guid.NewGuid(), jane.ClientId, jane.ProviderId, "PHQ-9", Guid.NewGuid(), 4, "Minimal", false, actor, now),
            new ConsentFormSigned(Guid.NewGuid(), sam.ClientId, sam.ProviderId, Guid.NewGuid(), 1, "Practice policies", actor, now));

        Mail.Messages.ShouldBeEmpty("nothing is emailed before the digest hour");

        // The scheduled digest fires early (clock still before the hour): it waits.
        var early = await day.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        Mail.Messages.ShouldBeEmpty();

        Clock.Advance(TimeSpan.FromHours(3));
        await early.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));

        var digest = Mail.Messages.ShouldHaveSingleItem();
        digest.To.Mailboxes.ShouldHaveSingleItem().Address.ShouldBe("digest@lakeside.example");
        digest.Subject.ShouldBe("Your daily portal summary: 3 updates");
        var text = digest.TextBody.ShouldNotBeNull();
        text.ShouldContain("Jane D. updated insurance details");
        text.ShouldContain("Jane D. completed an assessment");
        text.ShouldContain("Sam K. signed \u201cPractice policies\u201d");
        text.ShouldContain($"/console/clients/{sam.ClientId}");

        await using var session = OpenSession();
        var entries = await session.Query<ProviderNotification>().ToListAsync();
        entries.Count.ShouldBe(3);
        entries.ShouldAllBe(e => !e.AwaitingDigest && e.DigestId != null);
    }

    [Fact]
    public async Task A_kind_left_immediate_is_still_emailed_at_once_beside_a_digest()
    {
        var provider = await GivenProvider(email: "mixed@lakeside.example");
        var jane = await GivenClient(provider.ProviderId);
        await ChooseDigest(provider.ProviderId, 7, except: NotificationKind.Insurance);
        var actor = new Actor(ActorKind.Client, Guid.NewGuid(), "client");

        await Publish(
            new InsuranceChanged(Guid.NewGuid(), jane.ClientId, jane.ProviderId, InsuranceChange.Added, PlanRank.Primary, actor, Clock.GetUtcNow()),
            new IntakeFormCompleted(Guid.NewGuid(), jane.ClientId, jane.ProviderId, Guid.NewGuid(), 1, "Intake", actor, Clock.GetUtcNow()));

        Mail.Messages.ShouldHaveSingleItem().Subject.ShouldBe("Jane D. added insurance details");
    }

    private async Task ChooseDigest(Guid providerId, int hour, NotificationKind? except = null)
    {
        await using var session = OpenSession();
        session.Store(new NotificationPreferences
        {
            Id = providerId,
            DigestHour = hour,
            Modes = Enum.GetValues<NotificationKind>().ToDictionary(k => k, k => k == except ? EmailMode.Immediate : EmailMode.DailyDigest),
        });
        await session.SaveChangesAsync();
    }
}

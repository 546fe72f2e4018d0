using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Notifications;

public sealed class ClientEmailTests(PortalFixture fixture) : NotificationTest(fixture)
{
    [Fact]
    public async Task A_due_task_reminder_is_emailed_with_the_kind_of_task_in_plain_words_never_its_title_and_a_portal_link()
    {
        var provider = await GivenProvider();
        var client = await GivenClient(provider.ProviderId, email: "remind.me@example.com");
        // A provider's title can name a health matter; the email says only what kind of task it is.
        var reminder = new TaskReminderDue(Guid.NewGuid(), Guid.NewGuid(), client.ClientId, "PHQ-9 depression check", 1,
            new DateTimeOffset(2030, 5, 9, 12, 0, 0, TimeSpan.Zero), TaskKind.CompleteAssessment);

        await Publish(reminder);
        await Publish(reminder);

        var email = Mail.To("remind.me@example.com").ShouldHaveSingleItem();
        email.Subject.ShouldBe($"Reminder from {PracticeName}: a task is waiting for you");
        var text = email.TextBody.ShouldNotBeNull();
        text.ShouldContain("is waiting for you to complete a task: answer a questionnaire.");
        foreach (var body in new[] { email.Subject ?? string.Empty, text, email.HtmlBody ?? string.Empty })
        {
            body.ShouldNotContain("PHQ-9");
            body.ShouldNotContain("depression");
        }
        // 12:00 UTC is 8:00 in the morning in New York, the zone of a practice that has not chosen one.
        text.ShouldContain("It is due on May 9, 2030, 8:00 AM EDT.");
        text.ShouldContain("http://localhost:5000/portal");
    }

    [Fact]
    public async Task A_client_is_warned_before_their_autopay_card_expires_with_brand_and_last_four_only()
    {
        var provider = await GivenProvider();
        var client = await GivenClient(provider.ProviderId, email: "card@example.com");

        await Publish(new AutopayCardExpiring(Guid.NewGuid(), client.ClientId, provider.ProviderId, "Visa", "4242", new DateOnly(2030, 6, 30)));

        var email = Mail.To("card@example.com").ShouldHaveSingleItem();
        email.Subject.ShouldBe($"Your card on file with {PracticeName} expires soon");
        email.TextBody.ShouldNotBeNull().ShouldContain("Visa card ending in 4242");
        email.TextBody.ShouldContain("Jun 30, 2030");
    }

    [Fact]
    public async Task When_autopay_is_suspended_the_client_is_asked_to_update_the_card_and_the_provider_is_not_emailed()
    {
        var provider = await GivenProvider(email: "prov@lakeside.example");
        var client = await GivenClient(provider.ProviderId, email: "suspended@example.com");

        await Publish(new AutopayChanged(Guid.NewGuid(), client.ClientId, provider.ProviderId, AutopayChange.Suspended,
            new Actor(ActorKind.System, Guid.Empty, "system"), Clock.GetUtcNow(), "card declined 3 times"));

        var email = Mail.Messages.ShouldHaveSingleItem();
        email.To.Mailboxes.ShouldHaveSingleItem().Address.ShouldBe("suspended@example.com");
        email.Subject.ShouldBe($"Autopay with {PracticeName} is paused");
    }

    [Fact]
    public async Task An_event_that_arrives_before_the_roster_facts_is_emailed_once_they_arrive()
    {
        var providerId = Guid.NewGuid();
        var clientId = Guid.NewGuid();
        var insurance = new InsuranceChanged(Guid.NewGuid(), clientId, providerId, InsuranceChange.Added, PlanRank.Primary,
            new Actor(ActorKind.Client, Guid.NewGuid(), "Jane Doe"), Clock.GetUtcNow());

        await Publish(
            insurance,
            new ProviderRosterChanged(providerId, PracticeId, PracticeName, "Dr. Late", "late@lakeside.example", true, 1),
            new ClientRosterChanged(clientId, providerId, PracticeId, PracticeName, "Jane", "Doe", "jane@example.com",
                new DateOnly(1990, 1, 1), true, true, 1));

        Mail.To("late@lakeside.example").ShouldHaveSingleItem().Subject.ShouldBe("Jane D. added insurance details");
    }

    [Fact]
    public async Task A_reminder_that_arrives_before_the_client_s_roster_facts_is_emailed_once_they_arrive()
    {
        var provider = await GivenProvider();
        var clientId = Guid.NewGuid();
        var reminder = new TaskReminderDue(Guid.NewGuid(), Guid.NewGuid(), clientId, "Sign the consent form", 1, null);

        // The roster's message comes a second after the reminder, which has found no client by then.
        await Host.TrackAsync(async bus =>
        {
            await bus.PublishAsync(reminder);
            await Task.Delay(TimeSpan.FromSeconds(1));
            await bus.PublishAsync(new ClientRosterChanged(clientId, provider.ProviderId, PracticeId, PracticeName,
                "Jane", "Doe", "late.client@example.com",
                new DateOnly(1990, 1, 1), true, true, 1));
        });

        Mail.To("late.client@example.com").ShouldHaveSingleItem().Subject.ShouldBe($"Reminder from {PracticeName}: a task is waiting for you");
    }

    [Fact]
    public async Task A_task_batch_that_arrives_before_the_client_s_roster_facts_is_emailed_once_they_arrive()
    {
        var provider = await GivenProvider(name: "Dr. Ana Silva");
        var clientId = Guid.NewGuid();
        var requested = new ClientTasksRequested(Guid.NewGuid(), clientId, provider.ProviderId,
            [TaskKind.CompleteAssessment, TaskKind.CompleteAssessment, TaskKind.CompleteIntakeForm], Clock.GetUtcNow());

        await Host.TrackAsync(async bus =>
        {
            await bus.PublishAsync(requested);
            await Task.Delay(TimeSpan.FromSeconds(1));
            await bus.PublishAsync(new ClientRosterChanged(clientId, provider.ProviderId, PracticeId, PracticeName,
                "Jane", "Doe", "late.batch@example.com", new DateOnly(1990, 1, 1), true, true, 1));
        });
        await Publish(requested);

        var email = Mail.To("late.batch@example.com").ShouldHaveSingleItem();
        email.Subject.ShouldBe($"{PracticeName}: your provider has asked you to complete 3 tasks");
        email.TextBody.ShouldNotBeNull().ShouldContain(
            $"Dr. Ana Silva at {PracticeName} has asked you to complete 3 tasks: fill in a form and answer 2 questionnaires.");
    }

    [Fact]
    public async Task A_reminder_to_a_client_whose_portal_is_not_eligible_or_who_has_no_account_is_not_sent()
    {
        var provider = await GivenProvider();
        var ineligible = new ClientRosterChanged(Guid.NewGuid(), provider.ProviderId, PracticeId, PracticeName, "Ina", "Eligible",
            "ineligible@example.com", new DateOnly(1990, 1, 1), false, true, 1);
        var noAccount = new ClientRosterChanged(Guid.NewGuid(), provider.ProviderId, PracticeId, PracticeName, "Noa", "Account",
            "no.account@example.com", new DateOnly(1990, 1, 1), true, false, 1);
        await Publish(ineligible, noAccount);

        await Publish(
            new TaskReminderDue(Guid.NewGuid(), Guid.NewGuid(), ineligible.ClientId, "Add your insurance", 1, null),
            new TaskReminderDue(Guid.NewGuid(), Guid.NewGuid(), noAccount.ClientId, "Add your insurance", 1, null));

        Mail.Messages.ShouldBeEmpty();
    }
}

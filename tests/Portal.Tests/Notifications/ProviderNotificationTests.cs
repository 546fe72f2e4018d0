using Marten;
using MimeKit;
using Portal.Contracts;
using Portal.Notifications.Delivery;
using Portal.Notifications.Inbox;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Notifications;

public sealed class ProviderNotificationTests(PortalFixture fixture) : NotificationTest(fixture)
{
    private const string ProviderEmail = "ana@lakeside.example";

    public static TheoryData<string, string> ClientActions() => new()
    {
        { "insurance added", "Jane D. added insurance details" },
        { "insurance removed", "Jane D. removed insurance details" },
        { "autopay enrolled", "Jane D. enrolled in autopay" },
        { "consent signed", "Jane D. signed \u201cConsent for Treatment\u201d" },
        { "assessment completed", "Jane D. completed an assessment" },
        { "intake form completed", "Jane D. completed an intake form" },
    };

    [Theory]
    [MemberData(nameof(ClientActions))]
    public async Task A_client_action_through_the_portal_emails_their_provider_once(string action, string subject)
    {
        var (provider, client) = await GivenProviderAndClient();
        var fact = Fact(action, client, new Actor(ActorKind.Client, Guid.NewGuid(), "Jane Doe"));

        await Publish(fact);
        await Publish(fact); // a replayed event sends nothing more

        var email = Mail.Messages.ShouldHaveSingleItem();
        email.To.Mailboxes.ShouldHaveSingleItem().Address.ShouldBe(ProviderEmail);
        email.Subject.ShouldBe(subject);
        email.TextBody!.ShouldContain($"http://localhost:5000/console/clients/{client.ClientId}");
        email.HtmlBody!.ShouldContain($"href=\"http://localhost:5000/console/clients/{client.ClientId}\"");
        email.HtmlBody!.ShouldContain(PracticeName);
        email.TextBody!.ShouldContain("Hello Dr. Ana Silva");

        var inbox = await InboxOf(provider.ProviderId);
        inbox.ShouldHaveSingleItem().Text.ShouldBe(subject);
    }

    [Theory]
    [MemberData(nameof(ClientActions))]
    public async Task A_change_the_provider_made_sends_nothing(string action, string subject)
    {
        var (provider, client) = await GivenProviderAndClient();

        await Publish(Fact(action, client, new Actor(ActorKind.Provider, provider.ProviderId, "Dr. Ana Silva")));

        Mail.Messages.ShouldBeEmpty();
        (await InboxOf(provider.ProviderId)).ShouldBeEmpty($"no \"{subject}\" entry either");
    }

    [Fact]
    public async Task No_health_detail_appears_in_any_email_body()
    {
        var (_, client) = await GivenProviderAndClient();
        var actor = new Actor(ActorKind.Client, Guid.NewGuid(), "Jane Doe");

        await Publish(
            new AssessmentCompleted(Guid.NewGuid(), client.ClientId, client.ProviderId, "PHQ-9", Guid.NewGuid(), 23, "Severe", true, actor,
                Clock.GetUtcNow()),
            new SafetyFlagRaised(Guid.NewGuid(), client.ClientId, client.ProviderId, "PHQ-9", Guid.NewGuid(), Clock.GetUtcNow()),
            new IntakeFormCompleted(Guid.NewGuid(), client.ClientId, client.ProviderId, Guid.NewGuid(), 1, "Substance use history", actor,
                Clock.GetUtcNow()));

        Mail.Messages.Count.ShouldBe(3);
        foreach (var email in Mail.Messages)
        {
            foreach (var part in new[] { email.Subject!, email.TextBody!, email.HtmlBody! })
            {
                // The score as a word of its own, not digits inside a date, a time or an id in a link.
                System.Text.RegularExpressions.Regex.IsMatch(part, @"(?<![\w:/.-])23(?![\w:/.-])").ShouldBeFalse($"the score appears in: {part}");
                part.ShouldNotContain("Severe", Case.Insensitive);
                part.ShouldNotContain("PHQ");
                part.ShouldNotContain("Substance");
                part.ShouldNotContain("Doe"); // the client's last name appears as an initial only
            }
        }
    }

    [Fact]
    public async Task A_safety_flag_is_emailed_at_once_as_urgent_even_when_the_provider_chose_a_digest()
    {
        var (provider, client) = await GivenProviderAndClient();
        await using (var session = OpenSession())
        {
            session.Store(new Portal.Notifications.Preferences.NotificationPreferences
            {
                Id = provider.ProviderId,
                Modes = Enum.GetValues<NotificationKind>().ToDictionary(k => k, _ => Portal.Notifications.Preferences.EmailMode.DailyDigest),
            });
            await session.SaveChangesAsync();
        }

        await Publish(new SafetyFlagRaised(Guid.NewGuid(), client.ClientId, client.ProviderId, "PHQ-9", Guid.NewGuid(), Clock.GetUtcNow()));

        var email = Mail.To(ProviderEmail).ShouldHaveSingleItem();
        email.Subject.ShouldBe("Urgent: Jane D. needs your attention today");
        email.TextBody!.ShouldContain($"/console/clients/{client.ClientId}");
        var entry = (await InboxOf(provider.ProviderId)).ShouldHaveSingleItem();
        entry.Urgent.ShouldBeTrue();
        entry.Text.ShouldBe("Jane D. needs your attention today");
    }

    [Fact]
    public async Task A_request_to_change_a_login_email_asks_the_provider_to_approve_it()
    {
        var (_, client) = await GivenProviderAndClient();

        await Publish(new EmailChangeRequested(Guid.NewGuid(), client.ClientId, client.ProviderId, Clock.GetUtcNow()));

        Mail.To(ProviderEmail).ShouldHaveSingleItem().Subject.ShouldBe("Jane D. asked to change their login email");
    }

    [Fact]
    public async Task A_completed_assignment_is_told_to_the_provider()
    {
        var (_, client) = await GivenProviderAndClient();

        await Publish(new AssignmentCompleted(Guid.NewGuid(), client.ClientId, client.ProviderId, "New client intake", Clock.GetUtcNow()));

        Mail.To(ProviderEmail).ShouldHaveSingleItem().Subject.ShouldBe("Jane D. completed every task of \u201cNew client intake\u201d");
    }

    [Fact]
    public async Task The_providers_email_goes_out_with_the_notification_and_its_delivery_log_line_in_one_transaction()
    {
        var (provider, client) = await GivenProviderAndClient();
        var fact = Fact("insurance added", client, new Actor(ActorKind.Client, Guid.NewGuid(), "Jane Doe"));

        var tracked = await Publish(fact);

        // No SendEmail of its own: the handler that wrote the notification handed the email to SMTP.
        tracked.FindEnvelopesWithMessageType<SendEmail>().ShouldBeEmpty();
        var email = Mail.To(ProviderEmail).ShouldHaveSingleItem();
        var line = (await DeliveryLog()).ShouldHaveSingleItem();
        line.Status.ShouldBe(DeliveryStatus.Sent);
        line.Attempts.ShouldBe(1);
        line.To.ShouldBe(ProviderEmail);
        line.Subject.ShouldBe(email.Subject);
        email.MessageId.ShouldBe(line.MessageId);
        line.Id.ShouldBe((await InboxOf(provider.ProviderId)).ShouldHaveSingleItem().Id);
    }

    [Fact]
    public async Task When_the_SMTP_server_is_down_the_providers_email_is_retried_and_arrives_once_after_it_comes_back()
    {
        var (provider, client) = await GivenProviderAndClient();
        await Mail.StopAsync();

        // Bring the server back once the log shows the failed attempt.
        var recovery = Task.Run(async () =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                if ((await DeliveryLog()).Any(r => r.Status == DeliveryStatus.Retrying)) break;
                await Task.Delay(20);
            }
            var failed = (await DeliveryLog()).ShouldHaveSingleItem();
            Mail.Start();
            return failed;
        });

        var tracked = await Publish(Fact("autopay enrolled", client, new Actor(ActorKind.Client, Guid.NewGuid(), "Jane Doe")));
        var whileDown = await recovery;

        whileDown.Status.ShouldBe(DeliveryStatus.Retrying);
        whileDown.LastError.ShouldNotBeNull().ShouldContain("unreachable");
        tracked.FindEnvelopesWithMessageType<SendEmail>().ShouldNotBeEmpty();
        Mail.To(ProviderEmail).ShouldHaveSingleItem().Subject.ShouldBe("Jane D. enrolled in autopay");
        var line = (await DeliveryLog()).ShouldHaveSingleItem();
        line.Status.ShouldBe(DeliveryStatus.Sent);
        line.Attempts.ShouldBeGreaterThan(1);
        (await InboxOf(provider.ProviderId)).ShouldHaveSingleItem().Text.ShouldBe("Jane D. enrolled in autopay");
    }

    private async Task<(ProviderRosterChanged Provider, ClientRosterChanged Client)> GivenProviderAndClient()
    {
        var provider = await GivenProvider(email: ProviderEmail);
        var client = await GivenClient(provider.ProviderId);
        return (provider, client);
    }

    private async Task<IReadOnlyList<ProviderNotification>> InboxOf(Guid providerId)
    {
        await using var session = OpenSession();
        return await session.Query<ProviderNotification>().Where(n => n.ProviderId == providerId).ToListAsync();
    }

    private object Fact(string action, ClientRosterChanged client, Actor actor)
    {
        var now = Clock.GetUtcNow();
        return action switch
        {
            "insurance added" =>
                new InsuranceChanged(Guid.NewGuid(), client.ClientId, client.ProviderId, InsuranceChange.Added, PlanRank.Primary, actor, now),
            "insurance removed" =>
                new InsuranceChanged(Guid.NewGuid(), client.ClientId, client.ProviderId, InsuranceChange.Removed, PlanRank.Primary, actor, now),
            "autopay enrolled" => new AutopayChanged(Guid.NewGuid(), client.ClientId, client.ProviderId, AutopayChange.Enrolled, actor, now, null),
            "consent signed" =>
                new ConsentFormSigned(Guid.NewGuid(), client.ClientId, client.ProviderId, Guid.NewGuid(), 3, "Consent for Treatment", actor, now),
            "assessment completed" =>
                new AssessmentCompleted(Guid.NewGuid(), client.ClientId, client.ProviderId, "GAD-7", Guid.NewGuid(), 12, "Moderate", false,
                    actor, now),
            "intake form completed" =>
                new IntakeFormCompleted(Guid.NewGuid(), client.ClientId, client.ProviderId, Guid.NewGuid(), 1, "Health history", actor, now),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
    }
}

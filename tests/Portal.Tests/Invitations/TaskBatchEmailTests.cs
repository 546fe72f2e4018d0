using Alba;
using MimeKit;
using Portal.Contracts;

namespace Portal.Tests.Invitations;

/// <summary>
/// A client with an active account hears of what is asked of them: one email per request batch, with the count and no
/// health detail; a client without an account gets the invitation instead; an ineligible client gets nothing, and no
/// reminder either.
/// </summary>
public sealed class TaskBatchEmailTests(PortalFixture fixture) : AccessTest(fixture)
{
    private const string Asked = "your provider has asked you to complete";

    [Fact]
    public async Task An_active_eligible_client_gets_one_email_for_a_batch_of_three_tasks_with_the_count_and_no_health_detail()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        Mail.Clear();

        var tracked = await Host.PublishAndWaitAsync([Batch(client)]);

        Published<InvitationEmailRequested>(tracked).ShouldBeEmpty();
        var email = Mail.To(client.Email).ShouldHaveSingleItem();
        email.Subject.ShouldBe($"{provider.PracticeName}: {Asked} 3 tasks");
        var text = email.TextBody.ShouldNotBeNull();
        text.ShouldContain($"{provider.Name} at {provider.PracticeName} has asked you to complete 3 tasks");
        text.ShouldContain("add your insurance details, sign a document and answer a questionnaire");
        text.ShouldContain("http://localhost:5000/portal");
        foreach (var body in new[] { text, email.HtmlBody.ShouldNotBeNull(), email.Subject.ShouldNotBeNull() })
        {
            body.ShouldNotContain("PHQ", Case.Insensitive);
            body.ShouldNotContain("depression", Case.Insensitive);
            body.ShouldNotContain("couples", Case.Insensitive);
            body.ShouldNotContain("Consent", Case.Insensitive);
        }
    }

    [Fact]
    public async Task A_replayed_batch_sends_no_second_email_and_the_next_batch_sends_its_own()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        Mail.Clear();
        var batch = Batch(client);

        await Host.PublishAndWaitAsync([batch]);
        await Host.PublishAndWaitAsync([batch]);
        Asking(client).ShouldHaveSingleItem();

        await Host.PublishAndWaitAsync([new TasksRequested(Guid.NewGuid(), [TaskOf(client, TaskKind.EnrollInAutopay, "Set up autopay")])]);
        Asking(client).Count.ShouldBe(2);
        Asking(client)[1].Subject.ShouldBe($"{provider.PracticeName}: {Asked} 1 task");
    }

    [Fact]
    public async Task A_client_whose_portal_was_turned_off_gets_no_email_for_a_batch_and_no_reminder()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await TrackedScenario(s =>
        {
            s.As(provider.Support);
            s.Put.Json(new { @override = false }).ToUrl($"/api/support/clients/{client.ClientId}/eligibility");
            s.StatusCodeShouldBeOk();
        });
        Mail.Clear();

        var tracked = await Host.PublishAndWaitAsync([Batch(client)]);
        await Host.PublishAndWaitAsync([Reminder(client)]);

        Published<ClientTasksRequested>(tracked).ShouldBeEmpty();
        Published<InvitationEmailRequested>(tracked).ShouldBeEmpty();
        Mail.To(client.Email).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_client_of_a_provider_without_the_portal_gets_neither_invitation_nor_email_nor_reminder()
    {
        var provider = await Host.NewProviderAsync(portalEnabled: false);
        var client = await Host.AddClientAsync(provider);

        await Host.PublishAndWaitAsync([Batch(client)]);
        await Host.PublishAndWaitAsync([Reminder(client)]);

        Mail.To(client.Email).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_client_without_an_account_gets_only_the_invitation_and_no_reminder_until_they_activate()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);

        var tracked = await Host.PublishAndWaitAsync([Batch(client)]);
        await Host.PublishAndWaitAsync([Reminder(client)]);

        Published<ClientTasksRequested>(tracked).ShouldBeEmpty();
        Published<InvitationEmailRequested>(tracked).ShouldHaveSingleItem();
        Mail.To(client.Email).ShouldHaveSingleItem().Subject.ShouldBe($"{provider.PracticeName} invited you to your client portal");
    }

    [Fact]
    public async Task A_reminder_reaches_a_client_with_an_active_account()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        Mail.Clear();

        await Host.PublishAndWaitAsync([Reminder(client)]);

        Mail.To(client.Email).ShouldHaveSingleItem().Subject.ShouldBe($"Reminder from {provider.PracticeName}: a task is waiting for you");
    }

    private List<MimeMessage> Asking(ClientActor client) =>
        [.. Mail.To(client.Email).Where(m => m.Subject?.Contains(Asked, StringComparison.Ordinal) == true)];

    /// <summary>Three tasks opened in one transaction, as a workflow's first stage: titles that name health matters.</summary>
    private TasksRequested Batch(ClientActor client) => new(Guid.NewGuid(),
    [
        TaskOf(client, TaskKind.AddInsurance, "Add your insurance"),
        TaskOf(client, TaskKind.CompleteAssessment, "PHQ-9 depression screening"),
        TaskOf(client, TaskKind.SignDocument, "Consent for couples therapy"),
    ]);

    private TaskRequested TaskOf(ClientActor client, TaskKind kind, string title) =>
        new(Guid.NewGuid(), Guid.NewGuid(), client.ClientId, client.Provider.ProviderId, kind, title, null, Clock.GetUtcNow(), null);

    private static TaskReminderDue Reminder(ClientActor client) =>
        new(Guid.NewGuid(), Guid.NewGuid(), client.ClientId, "Add your insurance", 1, null);
}

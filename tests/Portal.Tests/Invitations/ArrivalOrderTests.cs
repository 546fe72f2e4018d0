using Alba;
using Portal.Contracts;
using Portal.Tests.Infrastructure;
using Wolverine;

namespace Portal.Tests.Invitations;

/// <summary>
/// Messages to a module may arrive in any order: a task requested right after a client is added can reach this module
/// before its copy of the roster knows the client. The outcome is the same whichever comes first.
/// </summary>
public sealed class ArrivalOrderTests(PortalFixture fixture) : AccessTest(fixture)
{
    [Fact]
    public async Task A_task_that_arrives_before_the_roster_copy_sends_the_invitation_once_the_copy_arrives()
    {
        var provider = await Host.NewProviderAsync();
        var client = Roster(provider, eligible: true);

        var early = await Host.PublishAndWaitAsync([Tasks(client.ClientId, provider)]);
        Published<InvitationEmailRequested>(early).ShouldBeEmpty();

        var late = await Host.PublishAndWaitAsync([client]);
        var invitation = Published<InvitationEmailRequested>(late).ShouldHaveSingleItem();
        invitation.ClientId.ShouldBe(client.ClientId);
        invitation.Email.ShouldBe(client.Email);
        invitation.ExpiresAt.ShouldBe(Clock.GetUtcNow().AddDays(5));
        (await Mail.WaitForAsync()).Count(m => m.To.ToString().Contains(client.Email)).ShouldBe(1);

        // As in the other order: while the invitation is pending, a later task and a later roster change send nothing.
        Published<InvitationEmailRequested>(await Host.PublishAndWaitAsync([Tasks(client.ClientId, provider)])).ShouldBeEmpty();
        Published<InvitationEmailRequested>(await Host.PublishAndWaitAsync([client with { FirstName = "Robin", Version = 2 }])).ShouldBeEmpty();
    }

    [Fact]
    public async Task Several_tasks_before_the_roster_copy_send_one_invitation()
    {
        var provider = await Host.NewProviderAsync();
        var client = Roster(provider, eligible: true);

        await Host.PublishAndWaitAsync([Tasks(client.ClientId, provider)]);
        await Host.PublishAndWaitAsync([Tasks(client.ClientId, provider), Tasks(client.ClientId, provider)]);
        var late = await Host.PublishAndWaitAsync([client]);

        Published<InvitationEmailRequested>(late).ShouldHaveSingleItem().ClientId.ShouldBe(client.ClientId);
    }

    [Fact]
    public async Task An_ineligible_client_whose_roster_copy_arrives_last_gets_no_invitation_as_in_the_other_order()
    {
        var provider = await Host.NewProviderAsync();
        var client = Roster(provider, eligible: false);

        await Host.PublishAndWaitAsync([Tasks(client.ClientId, provider)]);
        Published<InvitationEmailRequested>(await Host.PublishAndWaitAsync([client])).ShouldBeEmpty();

        // The task was answered when the copy came: the client becoming eligible later does not revive it, as in the
        // other order, where only the next task request invites.
        Published<InvitationEmailRequested>(await Host.PublishAndWaitAsync([client with { Eligible = true, Version = 2 }])).ShouldBeEmpty();
        Published<InvitationEmailRequested>(await Host.PublishAndWaitAsync([Tasks(client.ClientId, provider)])).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_batch_with_known_and_not_yet_known_clients_invites_the_known_now_and_the_others_when_their_copy_arrives()
    {
        var provider = await Host.NewProviderAsync();
        var known = await Host.AddClientAsync(provider);
        var unknown = Roster(provider, eligible: true);

        var batch = new TasksRequested(Guid.NewGuid(), [OneTask(known.ClientId, provider), OneTask(unknown.ClientId, provider)]);
        Published<InvitationEmailRequested>(await Host.PublishAndWaitAsync([batch])).ShouldHaveSingleItem().ClientId.ShouldBe(known.ClientId);
        Published<InvitationEmailRequested>(await Host.PublishAndWaitAsync([unknown])).ShouldHaveSingleItem().ClientId.ShouldBe(unknown.ClientId);
    }

    [Fact]
    public async Task Many_clients_added_and_asked_for_a_task_at_once_each_get_exactly_one_invitation()
    {
        const int clients = 40;
        var provider = await Host.NewProviderAsync();
        Mail.Clear();

        // Each client is added through the console and asked for a task the moment the answer comes back, all at once,
        // while the roster's message about the client may still be on its way to this module.
        var added = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        var tracked = await Host.TrackAsync(_ => Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            var result = await Host.Scenario(s =>
            {
                s.As(provider);
                s.Post.Json(new
                {
                    firstName = "Jordan", lastName = "Lee", email = $"jordan-{Guid.NewGuid():N}@portal.test",
                    dateOfBirth = new DateOnly(1988, 9, 30)
                })
                    .ToUrl("/api/console/clients");
                s.StatusCodeShouldBe(201);
            });
            var clientId = (await result.ReadAsJsonAsync<AddedClient>())!.ClientId;
            added.Add(clientId);
            // Two tasks at once, as two messages: they may be handled at the same moment, on either side of the roster copy.
            await Task.WhenAll(
                Host.MessageBus().PublishAsync(Tasks(clientId, provider)).AsTask(),
                Host.MessageBus().PublishAsync(Tasks(clientId, provider)).AsTask());
        })));

        added.Count.ShouldBe(clients);
        var invitations = tracked.Published<InvitationEmailRequested>();
        invitations.GroupBy(i => i.ClientId).ToDictionary(g => g.Key, g => g.Count())
            .ShouldBe(added.ToDictionary(id => id, _ => 1), ignoreOrder: true);
        var emails = await Mail.WaitForAsync(clients);
        emails.Count.ShouldBe(clients);
        emails.Select(m => m.To.ToString()).Distinct().Count().ShouldBe(clients);
    }

    private sealed record AddedClient(Guid ClientId);

    private static ClientRosterChanged Roster(ProviderActor provider, bool eligible) =>
        new(Guid.NewGuid(), provider.ProviderId, provider.PracticeId, provider.PracticeName, "Jordan", "Lee",
            $"jordan-{Guid.NewGuid():N}@portal.test", new DateOnly(1988, 9, 30), eligible, false, 1);

    private TasksRequested Tasks(Guid clientId, ProviderActor provider) => new(Guid.NewGuid(), [OneTask(clientId, provider)]);

    private TaskRequested OneTask(Guid clientId, ProviderActor provider) =>
        new(Guid.NewGuid(), Guid.NewGuid(), clientId, provider.ProviderId, TaskKind.AddInsurance,
            "Add your insurance", null, Clock.GetUtcNow(), null);
}

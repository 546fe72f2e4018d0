using System.Text.Json;
using Alba;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Tests.Infrastructure;
using Portal.Tests.Intake;
using Wolverine;
using Wolverine.Tracking;

namespace Portal.Tests.Caseload;

/// <summary>
/// The provider's list shows who is invited until when. Invitations announces the invitations each transaction
/// issued as one <see cref="InvitationsIssued"/> (no link, no address); Caseload records them from it, a bulk
/// assignment's clients in one message, and never receives the emails themselves.
/// </summary>
public sealed class InvitationExpiryTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    [Fact]
    public async Task A_workflow_assigned_to_clients_not_yet_invited_shows_each_invited_for_five_days_from_one_message_without_their_links()
    {
        var provider = await Host.NewProviderAsync();
        var active = await Host.NewClientWithAccountAsync(provider, "Avery", "Active");
        var waiting = new List<ClientActor>();
        foreach (var name in new[] { "Blake", "Casey", "Drew", "Emery", "Frankie" })
            waiting.Add(await Host.AddClientAsync(provider, name, "Waiting"));
        var workflow = await CreateWorkflowAsync(provider, new WorkflowContent("Intake", [new StageSpec("First", [
            Task("insurance", TaskKind.AddInsurance, dueInDays: 5),
        ])]));
        await PublishAsync(provider, workflow);
        var assignedAt = Clock.GetUtcNow();

        var (tracked, _) = await AssignAsync(provider, workflow, [active.ClientId, .. waiting.Select(c => c.ClientId)]);

        var list = await ListAsync(provider);
        list.Single(r => r.ClientId == active.ClientId).Status.ShouldBe("Active");
        foreach (var client in waiting)
        {
            var row = list.Single(r => r.ClientId == client.ClientId);
            row.Status.ShouldBe("Invited", client.FirstName);
            row.InvitationExpiresAt.ShouldBe(assignedAt.AddDays(5), client.FirstName);
        }

        var issued = tracked.Published<InvitationsIssued>().ShouldHaveSingleItem();
        issued.Invitations.Select(i => i.ClientId).Order().ShouldBe(waiting.Select(c => c.ClientId).Order());
        var emails = tracked.Published<InvitationEmailRequested>();
        issued.Invitations.Select(i => i.InvitationId).Order().ShouldBe(emails.Select(e => e.InvitationId).Order());
        var body = JsonSerializer.Serialize(issued);
        foreach (var email in emails)
        {
            body.ShouldNotContain(email.Email, Case.Insensitive);
            body.ShouldNotContain(email.ActivationLink.Protected);
        }

        // Caseload handled the five invitations as one message, and none of the emails (they carry the links): each
        // email is one envelope, for Notifications' handler alone. Nothing else takes a copy of it, not even the demo
        // seeder's listener, which runs only with demo data.
        tracked.Executed.Envelopes().Count(e => e.Message is InvitationsIssued).ShouldBe(1);
        var emailQueues = tracked.Executed.Envelopes().Where(e => e.Message is InvitationEmailRequested)
            .Select(e => e.Destination!.ToString()).ToList();
        emailQueues.Count.ShouldBe(waiting.Count);
        emailQueues.ShouldAllBe(q => !q.Contains("caseload"));
        foreach (var client in waiting) Mail.To(client.Email).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_provider_s_resend_moves_the_expiry_later_and_the_earlier_invitation_handled_again_does_not_move_it_back()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider, "Blake", "Brown");
        var first = await ResendAsync(provider, client);
        (await RowAsync(provider, client)).InvitationExpiresAt.ShouldBe(Clock.GetUtcNow().AddDays(5));

        Clock.Advance(TimeSpan.FromDays(2));
        provider = await Host.SignInAgainAsync(provider);
        var second = await ResendAsync(provider, client);
        var resentAt = Clock.GetUtcNow();

        var row = await RowAsync(provider, client);
        row.Status.ShouldBe("Invited");
        row.InvitationExpiresAt.ShouldBe(resentAt.AddDays(5));
        second.Invitations.ShouldHaveSingleItem().ExpiresAt.ShouldBe(resentAt.AddDays(5));

        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).IncludeExternalTransports()
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(bus => bus.PublishAsync(first).AsTask()));
        (await RowAsync(provider, client)).InvitationExpiresAt.ShouldBe(resentAt.AddDays(5));
    }

    [Fact]
    public async Task A_client_who_asks_for_a_fresh_link_after_the_invitation_expired_shows_invited_again()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider, "Casey", "Cole");
        var token = await Host.SendInvitationAsync(provider, client.ClientId);
        Clock.Advance(TimeSpan.FromDays(6));
        provider = await Host.SignInAgainAsync(provider);
        (await RowAsync(provider, client)).Status.ShouldBe("InvitationExpired");

        var (tracked, _) = await TrackedScenario(s =>
        {
            s.Post.Json(new { token }).ToUrl("/api/account/activation/renew");
            s.StatusCodeShouldBe(202);
        });

        tracked.Published<InvitationsIssued>().ShouldHaveSingleItem().Invitations.ShouldHaveSingleItem().ClientId.ShouldBe(client.ClientId);
        var row = await RowAsync(provider, client);
        row.Status.ShouldBe("Invited");
        row.InvitationExpiresAt.ShouldBe(Clock.GetUtcNow().AddDays(5));
    }

    private async Task<InvitationsIssued> ResendAsync(ProviderActor provider, ClientActor client)
    {
        var (tracked, _) = await TrackedScenario(s =>
        {
            s.As(provider);
            s.Post.Url($"/api/console/clients/{client.ClientId}/invitation");
            s.StatusCodeShouldBeOk();
        });
        return tracked.Published<InvitationsIssued>().ShouldHaveSingleItem();
    }

    private async Task<Row> RowAsync(ProviderActor provider, ClientActor client) =>
        (await ListAsync(provider)).Single(r => r.ClientId == client.ClientId);

    private async Task<IReadOnlyList<Row>> ListAsync(ProviderActor provider) =>
        (await Host.GetAsJson<ListPage>("/api/console/caseload", provider)).Clients;

    private sealed record ListPage(List<Row> Clients);

    private sealed record Row(Guid ClientId, string Status, DateTimeOffset? InvitationExpiresAt);
}

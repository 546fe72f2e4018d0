using System.Diagnostics;
using Alba;
using Portal.BuildingBlocks.Data;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Invitations;

/// <summary>
/// A provider who adds a client and sends the invitation at once may be ahead of the roster's message about the client
/// to this module: the send waits briefly for the copy instead of answering 404 for a client that exists
/// (<see cref="RosterArrival"/>). An id that never arrives, and another provider's client, are still refused.
/// </summary>
public sealed class SendBeforeRosterTests(PortalFixture fixture) : AccessTest(fixture)
{
    /// <summary>How long after the request the roster copy is delivered: well inside the wait, well past a quick 404.</summary>
    private static readonly TimeSpan CopyLate = TimeSpan.FromMilliseconds(800);

    [Fact]
    public async Task An_invitation_sent_before_the_roster_copy_knows_the_client_is_sent_once_the_copy_arrives()
    {
        var provider = await Host.NewProviderAsync();
        var roster = Roster(provider);
        Mail.Clear();

        var tracked = await Host.TrackAsync(async bus =>
        {
            var sent = Host.Scenario(s =>
            {
                s.As(provider);
                s.Post.Url($"/api/console/clients/{roster.ClientId}/invitation");
                s.StatusCodeShouldBeOk();
            });
            await Task.Delay(CopyLate);
            await bus.PublishAsync(roster);
            await sent;
        });

        var email = Published<InvitationEmailRequested>(tracked).ShouldHaveSingleItem();
        email.ClientId.ShouldBe(roster.ClientId);
        email.Email.ShouldBe(roster.Email);
        (await Mail.WaitForAsync()).Count(m => m.To.ToString().Contains(roster.Email)).ShouldBe(1);
        var access = await Host.GetAsJson<AccessBody>($"/api/console/clients/{roster.ClientId}/access", provider);
        access.Status.ShouldBe("Invited");
    }

    [Fact]
    public async Task A_client_that_never_reaches_the_copy_is_refused_after_the_wait_and_another_provider_s_client_at_once()
    {
        var provider = await Host.NewProviderAsync();
        var other = await Host.NewProviderAsync();
        var othersClient = await Host.AddClientAsync(other);

        var waited = Stopwatch.StartNew();
        await Send(provider, Guid.NewGuid(), 404);
        waited.Elapsed.ShouldBeGreaterThanOrEqualTo(RosterArrival.Patience);

        var refused = Stopwatch.StartNew();
        await Send(provider, othersClient.ClientId, 404);
        refused.Elapsed.ShouldBeLessThan(RosterArrival.Patience);
    }

    private Task<IScenarioResult> Send(ProviderActor provider, Guid clientId, int status) => Host.Scenario(s =>
    {
        s.As(provider);
        s.Post.Url($"/api/console/clients/{clientId}/invitation");
        s.StatusCodeShouldBe(status);
    });

    private sealed record AccessBody(string Status);

    /// <summary>The roster's message about a client just added, as Practice publishes it, not yet delivered.</summary>
    private static ClientRosterChanged Roster(ProviderActor provider) =>
        new(Guid.NewGuid(), provider.ProviderId, provider.PracticeId, provider.PracticeName, "Jordan", "Lee",
            $"jordan-{Guid.NewGuid():N}@portal.test", new DateOnly(1988, 9, 30), true, false, 1);
}

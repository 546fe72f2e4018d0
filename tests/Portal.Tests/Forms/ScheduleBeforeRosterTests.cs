using System.Diagnostics;
using Portal.BuildingBlocks.Data;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Forms;

/// <summary>
/// A provider who adds a client and schedules an assessment at once may be ahead of the roster's message about the
/// client to Forms: the request waits briefly for Forms' copy instead of answering 404 for a client that exists
/// (<see cref="RosterArrival"/>). An id that never arrives, and another provider's client, are still refused.
/// </summary>
public sealed class ScheduleBeforeRosterTests(PortalFixture fixture) : FormsTest(fixture)
{
    /// <summary>How long after the request the roster copy is delivered: well inside the wait, well past a quick 404.</summary>
    private static readonly TimeSpan CopyLate = TimeSpan.FromMilliseconds(800);

    [Fact]
    public async Task An_assessment_scheduled_before_the_roster_copy_knows_the_client_is_scheduled_once_the_copy_arrives()
    {
        var provider = await Host.NewProviderAsync();
        var roster = Roster(provider);

        var tracked = await Host.TrackAsync(async bus =>
        {
            var scheduled = Send(provider, roster.ClientId, 201);
            await Task.Delay(CopyLate);
            await bus.PublishAsync(roster);
            await scheduled;
        });

        var requested = Published<AssessmentRequested>(tracked).ShouldHaveSingleItem();
        requested.ClientId.ShouldBe(roster.ClientId);
        requested.ProviderId.ShouldBe(provider.ProviderId);
        requested.Instrument.ShouldBe("gad7");
        // The task reached the client: Intake opened it once its own copy arrived too.
        Published<TaskRequested>(tracked).ShouldContain(t => t.ClientId == roster.ClientId && t.SubjectId == "gad7");
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

    private Task<Alba.IScenarioResult> Send(ProviderActor provider, Guid clientId, int status) =>
        Send(provider, HttpMethod.Post, $"/api/clients/{clientId}/assessment-schedules", new { instrument = "gad7", everyWeeks = 2 }, status);

    /// <summary>The roster's message about a client just added, as Practice publishes it, not yet delivered.</summary>
    private static ClientRosterChanged Roster(ProviderActor provider) =>
        new(Guid.NewGuid(), provider.ProviderId, provider.PracticeId, provider.PracticeName, "Jordan", "Lee",
            $"jordan-{Guid.NewGuid():N}@portal.test", new DateOnly(1988, 9, 30), true, false, 1);
}

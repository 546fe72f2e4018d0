using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Caseload;

/// <summary>
/// The client list's safety badge follows Forms' flags whatever order their messages arrive in: an acknowledgement
/// that overtakes its flag's raising leaves no badge, and support's list never shows it (it is health data).
/// </summary>
public sealed class CaseloadSafetyFlagTests(PortalFixture fixture) : PortalTest(fixture)
{
    private sealed record ListPage(List<Row> Clients);

    private sealed record Row(Guid ClientId, int SafetyFlags);

    [Fact]
    public async Task A_raised_flag_badges_the_row_until_acknowledged_and_an_acknowledgement_arriving_first_leaves_no_badge()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider, "Noa", "North");
        var (first, second, late) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        await Publish(Raised(client, first), Raised(client, second));
        await Publish(Raised(client, first)); // a replay counts once
        (await RowAsync(provider, client.ClientId)).SafetyFlags.ShouldBe(2);
        (await RowAsync(provider.Support, client.ClientId)).SafetyFlags.ShouldBe(0);

        await Publish(Acknowledged(client, first));
        (await RowAsync(provider, client.ClientId)).SafetyFlags.ShouldBe(1);

        // The acknowledgement of a third flag overtakes its raising.
        await Publish(Acknowledged(client, late));
        await Publish(Raised(client, late));
        (await RowAsync(provider, client.ClientId)).SafetyFlags.ShouldBe(1);

        await Publish(Acknowledged(client, second));
        (await RowAsync(provider, client.ClientId)).SafetyFlags.ShouldBe(0);
        (await Host.GetAsText("/console/clients", provider)).ShouldNotContain("data-status=\"SafetyFlag\"");
    }

    private SafetyFlagRaised Raised(ClientActor client, Guid flagId) =>
        new(flagId, client.ClientId, client.Provider.ProviderId, "phq9", Guid.NewGuid(), Clock.GetUtcNow());

    private SafetyFlagAcknowledged Acknowledged(ClientActor client, Guid flagId) =>
        new(Guid.NewGuid(), flagId, client.ClientId, client.Provider.ProviderId, Clock.GetUtcNow());

    private async Task<Row> RowAsync(ISignedIn who, Guid clientId) =>
        (await Host.GetAsJson<ListPage>("/api/console/caseload", who)).Clients.Single(c => c.ClientId == clientId);
}

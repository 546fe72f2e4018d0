using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Caseload;

/// <summary>
/// A client whose activation was blocked (three wrong dates of birth) shows as "Activation blocked" in the provider's
/// list, not as still invited, until the provider's new invitation; whichever order the messages reach Caseload in.
/// </summary>
public sealed class CaseloadActivationBlockedTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task Three_wrong_dates_of_birth_show_activation_blocked_until_the_provider_sends_a_new_invitation()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider, "Robin", "Reyes");
        var token = await Host.SendInvitationAsync(provider, client.ClientId);
        (await RowAsync(provider, client.ClientId)).Status.ShouldBe("Invited");

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await TrackedScenario(s =>
            {
                s.Post.Json(new { token, dateOfBirth = client.DateOfBirth.AddYears(attempt), password = Actors.DefaultPassword })
                    .ToUrl("/api/account/activate");
                s.StatusCodeShouldBe(attempt < 3 ? 400 : 410);
            });
        }

        var blocked = await RowAsync(provider, client.ClientId);
        blocked.Status.ShouldBe("ActivationBlocked");
        blocked.StatusText.ShouldBe("Activation blocked");
        blocked.InvitationExpiresAt.ShouldBeNull();
        var page = await Host.OpenPageAsync(provider, "/console/clients");
        page.Html.ShouldContain(">Activation blocked</span>");
        page.Html.ShouldContain(">Resend invitation</button>");

        Clock.Advance(TimeSpan.FromMinutes(10));
        provider = await Host.SignInAgainAsync(provider);
        await Host.SendInvitationAsync(provider, client.ClientId);
        var invited = await RowAsync(provider, client.ClientId);
        invited.Status.ShouldBe("Invited");
        invited.InvitationExpiresAt.ShouldBe(Clock.GetUtcNow().AddDays(5));
    }

    [Fact]
    public async Task A_new_invitation_that_arrives_before_the_block_it_follows_still_shows_invited()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider, "Sam", "Stone");
        var blockedAt = Clock.GetUtcNow();
        var reissuedAt = blockedAt.AddMinutes(5);

        await Host.PublishAndWaitAsync([Issued(client.ClientId, reissuedAt)]);
        await Host.PublishAndWaitAsync([Blocked(client.ClientId, provider, blockedAt)]);

        var row = await RowAsync(provider, client.ClientId);
        row.Status.ShouldBe("Invited");
        row.InvitationExpiresAt.ShouldBe(reissuedAt.AddDays(5));
    }

    [Fact]
    public async Task A_block_that_arrives_before_the_client_s_roster_row_and_its_invitation_shows_once_they_arrive()
    {
        var provider = await Host.NewProviderAsync();
        var clientId = Guid.NewGuid();
        var invitedAt = Clock.GetUtcNow();
        var roster = new ClientRosterChanged(clientId, provider.ProviderId, provider.PracticeId, provider.PracticeName, "Jordan",
            "Lee", $"jordan-{Guid.NewGuid():N}@portal.test", new DateOnly(1988, 9, 30), true, false, 1);

        await Host.PublishAndWaitAsync([Blocked(clientId, provider, invitedAt.AddMinutes(30))]);
        await Host.PublishAndWaitAsync([Issued(clientId, invitedAt)]);
        await Host.PublishAndWaitAsync([roster]);

        var row = await RowAsync(provider, clientId);
        row.Status.ShouldBe("ActivationBlocked");
        row.StatusText.ShouldBe("Activation blocked");
    }

    private static InvitationsIssued Issued(Guid clientId, DateTimeOffset issuedAt) =>
        new([new IssuedInvitation(Guid.NewGuid(), clientId, issuedAt.AddDays(5), issuedAt)]);

    private static ActivationBlocked Blocked(Guid clientId, ProviderActor provider, DateTimeOffset at) =>
        new(Guid.NewGuid(), clientId, provider.ProviderId, 3, at);

    private async Task<Row> RowAsync(ProviderActor provider, Guid clientId) =>
        (await Host.GetAsJson<ListPage>("/api/console/caseload", provider)).Clients.Single(r => r.ClientId == clientId);

    private sealed record ListPage(List<Row> Clients);

    private sealed record Row(Guid ClientId, string Status, string StatusText, DateTimeOffset? InvitationExpiresAt);
}

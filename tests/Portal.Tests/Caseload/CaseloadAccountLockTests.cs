using System.Globalization;
using System.Net;
using Alba;
using Portal.BuildingBlocks.Time;
using Portal.Contracts;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Caseload;

/// <summary>
/// The provider's client list shows when failed sign-ins have locked a client out, and until when, so the provider
/// can answer a client who cannot get in; the row goes back to Active when the lock ends or is lifted.
/// </summary>
public sealed class CaseloadAccountLockTests(PortalFixture fixture) : PortalTest(fixture)
{
    private static readonly TimeSpan LockFor = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task A_client_locked_out_by_failed_sign_ins_shows_as_locked_until_the_lock_ends_and_then_as_active_again()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Avery", "Adams");
        (await RowAsync(provider, client.ClientId)).Status.ShouldBe("Active");

        var until = Clock.GetUtcNow() + LockFor;
        await FailSignInsUntilLockedAsync(client.Email);

        var locked = await RowAsync(provider, client.ClientId);
        locked.Status.ShouldBe("Locked");
        locked.StatusText.ShouldBe("Locked");
        locked.LockedUntil.ShouldBe(until);
        var html = await Host.GetAsText("/console/clients", provider);
        html.ShouldContain("data-status=\"Locked\"");
        // Shown in the practice's zone (New York unless chosen), never in UTC.
        html.ShouldContain($"until {PortalTime.DateTime(until, PortalTime.DefaultZone)}");

        Clock.Advance(LockFor - TimeSpan.FromSeconds(1));
        (await RowAsync(provider, client.ClientId)).Status.ShouldBe("Locked");

        Clock.Advance(TimeSpan.FromSeconds(2));
        var after = await RowAsync(provider, client.ClientId);
        after.Status.ShouldBe("Active");
        after.StatusText.ShouldBe("Active");
        after.LockedUntil.ShouldBeNull();
        (await Host.GetAsText("/console/clients", provider)).ShouldNotContain("data-status=\"Locked\"");
    }

    [Fact]
    public async Task A_client_support_unlocks_shows_as_active_again_at_once()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Blake", "Brown");
        await FailSignInsUntilLockedAsync(client.Email);
        (await RowAsync(provider, client.ClientId)).Status.ShouldBe("Locked");

        await TrackedScenario(s =>
        {
            s.As(provider.Support);
            s.Post.Url($"/api/support/clients/{client.ClientId}/unlock");
            s.StatusCodeShouldBe(204);
        });

        var row = await RowAsync(provider, client.ClientId);
        row.Status.ShouldBe("Active");
        row.LockedUntil.ShouldBeNull();
    }

    [Fact]
    public async Task A_client_who_resets_their_password_shows_as_active_again_at_once()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Casey", "Cole");
        await FailSignInsUntilLockedAsync(client.Email);
        (await RowAsync(provider, client.ClientId)).Status.ShouldBe("Locked");

        var (requested, _) = await TrackedScenario(s =>
        {
            s.Post.Json(new { email = client.Email }).ToUrl("/api/account/password-reset");
            s.StatusCodeShouldBe(202);
        });
        var link = requested.Sent.MessagesOf<PasswordResetEmailRequested>().Single().ResetLink;
        await TrackedScenario(s =>
        {
            s.Post.Json(new { token = Host.TokenFrom(link), password = "Granite-Meadow-Violin-77" }).ToUrl("/api/account/password-reset/complete");
            s.StatusCodeShouldBe(204);
        });

        (await RowAsync(provider, client.ClientId)).Status.ShouldBe("Active");
    }

    /// <summary>Five wrong passwords, each from another address: the fifth locks the account (429).</summary>
    private async Task FailSignInsUntilLockedAsync(string email)
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var address = IPAddress.Parse($"198.51.100.{attempt}");
            var status = attempt < 5 ? 401 : 429;
            await TrackedScenario(s =>
            {
                s.Post.Json(new { email, password = "wrong-password-here" }).ToUrl("/api/account/sign-in");
                s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = address);
                s.StatusCodeShouldBe(status);
            });
        }
    }

    private async Task<Row> RowAsync(ProviderActor provider, Guid clientId) =>
        (await Host.GetAsJson<ListPage>("/api/console/caseload", provider)).Clients.Single(c => c.ClientId == clientId);

    private sealed record ListPage(List<Row> Clients);

    private sealed record Row(Guid ClientId, string Status, string StatusText, DateTimeOffset? LockedUntil);
}

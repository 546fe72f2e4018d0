using System.Net;
using Alba;
using Marten;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Invitations;

/// <summary>
/// A client who fails the date-of-birth check is not left stuck: the link closes and says what happened, the provider
/// is told and sees it on the client's access panel, and the provider's new invitation (a fresh 5-day link) lets the
/// client in while the old link stays dead.
/// </summary>
public sealed class ActivationBlockedTests(PortalFixture fixture) : AccessTest(fixture)
{
    [Fact]
    public async Task Three_wrong_dates_of_birth_close_the_link_tell_the_provider_and_a_new_invitation_lets_the_client_in()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider, "Robin", "Reyes");
        var oldToken = await Host.SendInvitationAsync(provider, client.ClientId);
        Mail.Clear();

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            await Post(null, "/api/account/activate",
                new { token = oldToken, dateOfBirth = client.DateOfBirth.AddYears(attempt), password = Actors.DefaultPassword }, 400);
        }
        var blockedAt = Clock.GetUtcNow();
        var (tracked, third) = await Post(null, "/api/account/activate",
            new { token = oldToken, dateOfBirth = client.DateOfBirth.AddDays(3), password = Actors.DefaultPassword }, 410);
        var closed = await third.ReadAsTextAsync();
        closed.ShouldContain("We couldn't confirm your date of birth, so this link is closed. We've told " + provider.PracticeName +
            "; they will send you a new invitation.");
        closed.ShouldNotContain(client.DateOfBirth.ToString("yyyy-MM-dd"));
        var blocked = Published<ActivationBlocked>(tracked).ShouldHaveSingleItem();
        blocked.ClientId.ShouldBe(client.ClientId);
        blocked.ProviderId.ShouldBe(provider.ProviderId);
        blocked.FailedChecks.ShouldBe(3);

        // Even the right date of birth is refused now, and the client's page says why.
        await Post(null, "/api/account/activate",
            new { token = oldToken, dateOfBirth = client.DateOfBirth, password = Actors.DefaultPassword }, 410);
        (await (await CheckLink(oldToken, 410)).ReadAsTextAsync()).ShouldContain("this link is closed");
        var page = await Host.Scenario(s =>
        {
            s.Get.Url($"/activate?token={oldToken}");
            s.StatusCodeShouldBeOk();
        });
        var pageText = WebUtility.HtmlDecode(await page.ReadAsTextAsync());
        pageText.ShouldContain($"We've told {provider.PracticeName}; they will send you a new invitation.");
        pageText.ShouldNotContain("Send me a fresh link");

        // The provider is told: an entry in their list and an email, naming the client but no date.
        await using (var session = OpenSession())
        {
            var notification = (await session.Query<Portal.Notifications.Inbox.ProviderNotification>()
                .Where(n => n.ProviderId == provider.ProviderId && n.ClientId == client.ClientId).ToListAsync()).ShouldHaveSingleItem();
            notification.Text.ShouldBe("Robin R. could not activate their account (the date of birth did not match)");
        }
        var email = (await Mail.WaitForAsync()).Single(m => m.To.ToString().Contains(provider.Email, StringComparison.OrdinalIgnoreCase));
        email.Subject.ShouldBe("Robin R. could not activate their account (the date of birth did not match)");
        (email.TextBody ?? string.Empty).ShouldNotContain("1990");

        // Neither the closed link nor a task request brings a new link: only the provider does.
        var (renewed, _) = await Post(null, "/api/account/activation/renew", new { token = oldToken }, 202);
        Published<InvitationEmailRequested>(renewed).ShouldBeEmpty();
        Published<InvitationEmailRequested>(await RequestTask(client)).ShouldBeEmpty();

        // The access panel shows it, with the button for a new invitation.
        var access = await Host.GetAsJson<AccessBody>($"/api/console/clients/{client.ClientId}/access", provider);
        access.Status.ShouldBe("ActivationBlocked");
        access.FailedChecks.ShouldBe(3);
        access.ActivationBlockedAt.ShouldBe(blockedAt);
        var profile = await Host.OpenPageAsync(provider, $"/console/clients/{client.ClientId}");
        System.Text.RegularExpressions.Regex.Replace(WebUtility.HtmlDecode(profile.Html), @"\s+", " ").ShouldContain(
            $"Activation blocked after 3 wrong dates of birth on {Portal.BuildingBlocks.Time.PortalTime.DateTime(blockedAt, Portal.BuildingBlocks.Time.PortalTime.DefaultZone)}.");
        profile.Html.ShouldContain(">Send a new invitation</button>");

        Clock.Advance(TimeSpan.FromMinutes(10));
        var (sent, result) = await TrackedScenario(s => s.PostForm(provider, profile, "/console/clients/access", "Invite", [],
            $"clientId={client.ClientId}&returnUrl=/console/clients/{client.ClientId}"));
        result.Context.Response.StatusCode.ShouldBe(302);
        result.Context.Response.Headers.Location.ToString().ShouldBe($"/console/clients/{client.ClientId}");
        var invitation = Published<InvitationEmailRequested>(sent).ShouldHaveSingleItem();
        invitation.ExpiresAt.ShouldBe(Clock.GetUtcNow() + TimeSpan.FromDays(5));
        var newToken = Host.TokenFrom(invitation.ActivationLink);
        (await Host.GetAsJson<AccessBody>($"/api/console/clients/{client.ClientId}/access", provider)).Status.ShouldBe("Invited");

        // The old link stays dead (and no longer claims the provider will act); the new one activates.
        var old = await CheckLink(oldToken, 410);
        (await old.ReadAsTextAsync()).ShouldNotContain("this link is closed");
        await Post(null, "/api/account/activate",
            new { token = newToken, dateOfBirth = client.DateOfBirth, password = Actors.DefaultPassword }, 200);
        await Host.SignInAsync(client.Email, Actors.DefaultPassword);
        await Post(null, "/api/account/activate",
            new { token = oldToken, dateOfBirth = client.DateOfBirth, password = Actors.DefaultPassword }, 410);
    }

    [Fact]
    public async Task Two_wrong_dates_of_birth_leave_the_link_open_and_the_provider_untold()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);
        var token = await Host.SendInvitationAsync(provider, client.ClientId);
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var (tracked, _) = await Post(null, "/api/account/activate",
                new { token, dateOfBirth = client.DateOfBirth.AddDays(attempt), password = Actors.DefaultPassword }, 400);
            Published<ActivationBlocked>(tracked).ShouldBeEmpty();
        }
        (await Host.GetAsJson<AccessBody>($"/api/console/clients/{client.ClientId}/access", provider)).Status.ShouldBe("Invited");
        await Post(null, "/api/account/activate", new { token, dateOfBirth = client.DateOfBirth, password = Actors.DefaultPassword }, 200);
    }

    private sealed record AccessBody(string Status, DateTimeOffset? ActivationBlockedAt, int? FailedChecks);
}

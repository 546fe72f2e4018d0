using System.Net.Http.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Portal.Contracts;
using Portal.Tests.Infrastructure;
using Wolverine;
using Wolverine.Tracking;

namespace Portal.Tests.Browser;

public sealed class ActivationJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string Password = "Quiet-Orchard-Bicycle-31";

    [Fact]
    public async Task A_task_request_emails_an_invitation_whose_link_activates_the_account_once() => await Run(async page =>
    {
        var (providerId, clientId, email) = await ProviderWithClientAsync();
        Fixture.Mail.Clear();

        // The provider requests a task (published as Intake publishes it); the invitation email arrives.
        await TrackAsync(bus => bus.PublishAsync(new TasksRequested(Guid.NewGuid(),
            [new TaskRequested(Guid.NewGuid(), Guid.NewGuid(), clientId, providerId,
            TaskKind.AddInsurance, "Add your insurance", null, DateTimeOffset.UtcNow, null)])).AsTask());
        var invitation = (await Fixture.Mail.WaitForAsync()).Single(m => m.To.Mailboxes.Any(x => x.Address == email));
        var link = new Uri(MailCapture.LinkIn(invitation)!);
        link.AbsolutePath.ShouldBe("/activate");

        await page.GotoAsync(link.PathAndQuery);
        await page.GetByLabel("Your date of birth").FillAsync("1988-09-30");
        await page.GetByLabel("Choose a password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate my account" }).ClickAsync();
        // Activation ends signed in, on the portal home.
        await page.WaitForURLAsync("**/portal?activated=1");
        (await page.GetByText("Your account is active").IsVisibleAsync()).ShouldBeTrue();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/signout");

        await page.GotoAsync("/signin");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/portal");
        (await page.Locator("h1").InnerTextAsync()).ShouldContain("Welcome, Jordan Lee");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/signout");
        await page.GotoAsync("/portal");
        page.Url.ShouldContain("/signin");

        await page.GotoAsync(link.PathAndQuery);
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("expired or was already used");
        (await page.GetByRole(AriaRole.Button, new() { Name = "Send me a fresh link" }).IsVisibleAsync()).ShouldBeTrue();
    });

    [Fact]
    public async Task A_task_that_overtakes_the_roster_copy_still_emails_an_invitation_whose_link_activates_the_account() => await Run(async page =>
    {
        var (providerId, clientId, email) = await ProviderWithClientAsync();

        // Take the accounts module's copy of the client away again, to stand for the roster's message still on its way.
        ClientRosterChanged roster;
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            var card = (await session.LoadAsync<Portal.Invitations.Roster.InvitationsClient>(clientId)).ShouldNotBeNull();
            roster = new ClientRosterChanged(card.Id, card.ProviderId, card.PracticeId, card.PracticeName, card.FirstName, card.LastName, card.Email,
                card.DateOfBirth, card.Eligible, card.HasActiveAccount, card.Version);
            session.Delete(card);
            await session.SaveChangesAsync();
        }
        Fixture.Mail.Clear();

        // The task comes first, the roster's message after it: the invitation email is sent when the copy arrives.
        await TrackAsync(bus => bus.PublishAsync(new TasksRequested(Guid.NewGuid(),
            [new TaskRequested(Guid.NewGuid(), Guid.NewGuid(), clientId, providerId, TaskKind.AddInsurance,
                "Add your insurance", null, DateTimeOffset.UtcNow, null)])).AsTask());
        await TrackAsync(bus => bus.PublishAsync(roster).AsTask());
        var invitation = (await Fixture.Mail.WaitForAsync()).Single(m => m.To.Mailboxes.Any(x => x.Address == email));

        await page.GotoAsync(new Uri(MailCapture.LinkIn(invitation)!).PathAndQuery);
        await page.GetByLabel("Your date of birth").FillAsync("1988-09-30");
        await page.GetByLabel("Choose a password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate my account" }).ClickAsync();
        await page.WaitForURLAsync("**/portal?activated=1");
    });

    private async Task<(Guid ProviderId, Guid ClientId, string Email)> ProviderWithClientAsync()
    {
        var supportEmail = $"support-{Guid.NewGuid():N}@portal.test";
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, supportEmail, Password, "Sam Support", TimeProvider.System);

        using var support = Client();
        (await support.PostAsJsonAsync("/api/account/sign-in", new { email = supportEmail, password = Password })).EnsureSuccessStatusCode();
        await EnrolAsync(support, supportEmail);
        PracticeBody practice = null!;
        await TrackAsync(async _ =>
        {
            var created = await support.PostAsJsonAsync("/api/support/practices",
                new { practiceName = "Lakeside Therapy", providerName = "Pat Provider", providerEmail = $"provider-{Guid.NewGuid():N}@portal.test" });
            created.EnsureSuccessStatusCode();
            practice = (await created.Content.ReadFromJsonAsync<PracticeBody>())!;
        });
        await TrackAsync(async _ => (await support.PutAsJsonAsync(
            $"/api/support/providers/{practice.ProviderId}/portal-access", new { enabled = true })).EnsureSuccessStatusCode());
        (await support.PutAsJsonAsync($"/api/support/providers/{practice.ProviderId}/password", new { password = Password }))
            .EnsureSuccessStatusCode();
        var me = await support.GetFromJsonAsync<MeBody>("/api/account/me");
        me!.Role.ShouldBe("support");

        using var provider = Client();
        var providerEmail = (await Fixture.Services.GetRequiredService<IDocumentStore>().QuerySession()
            .Query<Portal.Invitations.Accounts.Account>().SingleAsync(a => a.ProviderId == practice.ProviderId)).Email;
        (await provider.PostAsJsonAsync("/api/account/sign-in", new { email = providerEmail, password = Password })).EnsureSuccessStatusCode();
        await EnrolAsync(provider, providerEmail);
        var email = $"jordan-{Guid.NewGuid():N}@portal.test";
        ClientBody client = null!;
        await TrackAsync(async _ =>
        {
            var added = await provider.PostAsJsonAsync("/api/console/clients",
                new { firstName = "Jordan", lastName = "Lee", email, dateOfBirth = new DateOnly(1988, 9, 30) });
            added.EnsureSuccessStatusCode();
            client = (await added.Content.ReadFromJsonAsync<ClientBody>())!;
        });
        return (practice.ProviderId, client.ClientId, email);
    }

    /// <summary>Staff set up an authenticator app at their first sign-in before anything else opens.</summary>
    private async Task EnrolAsync(HttpClient staff, string email)
    {
        var setup = await (await staff.PostAsync("/api/account/authenticator", null)).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<SetupBody>();
        var enabled = await (await staff.PostAsJsonAsync("/api/account/authenticator/confirm",
                new { code = SecondFactors.EnrolmentCode(Fixture.Services, setup!.Secret) })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<EnabledBody>();
        SecondFactors.Remember(email, setup.Secret, enabled!.RecoveryCodes);
    }

    private sealed record SetupBody(string Secret);

    private sealed record EnabledBody(IReadOnlyList<string> RecoveryCodes);

    private HttpClient Client() =>
        new(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = Fixture.BaseAddress
        };

    private Task<ITrackedSession> TrackAsync(Func<IMessageBus, Task> action) =>
        Fixture.Services.GetRequiredService<IHost>().TrackActivity().Timeout(TimeSpan.FromSeconds(30)).DoNotAssertOnExceptionsDetected()
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(context => action(context)));

    private sealed record PracticeBody(Guid PracticeId, Guid ProviderId);

    private sealed record ClientBody(Guid ClientId);

    private sealed record MeBody(Guid UserId, string Role);
}

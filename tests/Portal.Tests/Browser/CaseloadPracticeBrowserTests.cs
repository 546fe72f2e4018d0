using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>
/// A group practice's owner opens the client list and sees every clinician's clients, narrows it to one clinician and
/// to a status with the form, and the address keeps the choice: the same link shows the same list, on a phone too.
/// </summary>
public sealed class CaseloadPracticeBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task The_owner_sees_the_practice_s_clients_and_narrows_them_to_one_clinician_and_a_status_kept_in_the_link() =>
        await Run(async page =>
        {
            var (practiceId, support) = await PracticeAsync(page);
            var alice = await MemberWithClientsAsync(support, practiceId, "Alice Avery", ("Ann", "Able"), ("Amy", "Ames"));
            var bob = await MemberWithClientsAsync(support, practiceId, "Bob Baker", ("Ben", "Brook"), ("Bea", "Cole"));
            await BrowserJourney.TrackedAsync(Fixture, () =>
                BrowserJourney.SendAsync(bob.Context, "POST", $"/api/console/clients/{bob.Clients[0]}/invitation", null, 200));

            await page.SetViewportSizeAsync(1280, 800);
            await page.GotoAsync("/console/clients");
            var names = page.Locator("tbody tr td:first-child > a");
            (await names.AllInnerTextsAsync()).ShouldBe(["Able, Ann", "Ames, Amy", "Brook, Ben", "Cole, Bea"]);

            await page.GetByLabel("Clinician").SelectOptionAsync(new SelectOptionValue { Label = "Bob Baker" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await page.WaitForURLAsync($"**/console/clients?*clinician={bob.Id}*");
            (await names.AllInnerTextsAsync()).ShouldBe(["Brook, Ben", "Cole, Bea"]);

            await page.GetByLabel("Status").SelectOptionAsync(new SelectOptionValue { Label = "Invited" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await page.WaitForURLAsync("**/console/clients?*status=Invited*");
            (await names.AllInnerTextsAsync()).ShouldBe(["Brook, Ben"]);
            await Screenshots(page, "owner-filtered");

            // The link alone brings the same list and the same choices back, at phone width, without sideways scrolling.
            var link = page.Url;
            var phone = await page.Context.NewPageAsync();
            await phone.SetViewportSizeAsync(390, 844);
            await phone.GotoAsync(link);
            (await phone.Locator("tbody tr td:first-child > a").AllInnerTextsAsync()).ShouldBe(["Brook, Ben"]);
            (await phone.GetByLabel("Clinician").InputValueAsync()).ShouldBe(bob.Id.ToString());
            (await phone.GetByLabel("Status").InputValueAsync()).ShouldBe("Invited");
            (await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue();
            await Screenshots(phone, "owner-filtered-phone");

            // Alice, a clinician, sees her own clients only, and no choice of colleagues.
            var clinicianPage = await alice.Context.NewPageAsync();
            await clinicianPage.GotoAsync("/console/clients");
            (await clinicianPage.Locator("tbody tr td:first-child > a").AllInnerTextsAsync()).ShouldBe(["Able, Ann", "Ames, Amy"]);
            (await clinicianPage.GetByRole(AriaRole.Option, new() { Name = "Bob Baker" }).CountAsync()).ShouldBe(0);
            await alice.Context.DisposeAsync();
            await bob.Context.DisposeAsync();
        });

    private sealed record Member(Guid Id, IBrowserContext Context, List<Guid> Clients);

    /// <summary>Support makes the practice; its owner signs in on <paramref name="page"/>. Returns the practice and support's context.</summary>
    private async Task<(Guid PracticeId, IBrowserContext Support)> PracticeAsync(IPage page)
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        var supportEmail = $"support-{unique}@portal.test";
        var ownerEmail = $"owner-{unique}@portal.test";
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, supportEmail, BrowserJourney.Password, "Sam Support",
                Fixture.Services.GetRequiredService<TimeProvider>());
        var support = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(support, "POST", "/api/account/sign-in", new { email = supportEmail, password = BrowserJourney.Password }, 200);
        JsonElement practice = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => practice = await BrowserJourney.SendAsync(support, "POST", "/api/support/practices",
            new { practiceName = $"Harbor Group {unique}", providerName = "Olive Owner", providerEmail = ownerEmail }, 201));
        await EnableAsync(support, practice.GetProperty("providerId").GetGuid());
        await BrowserJourney.SendAsync(page.Context, "POST", "/api/account/sign-in", new { email = ownerEmail, password = BrowserJourney.Password }, 200);
        return (practice.GetProperty("practiceId").GetGuid(), support);
    }

    /// <summary>A clinician added by support, signed in in a context of their own, who adds their clients.</summary>
    private async Task<Member> MemberWithClientsAsync(IBrowserContext support, Guid practiceId, string name, params (string First, string Last)[] clients)
    {
        var email = $"member-{Guid.NewGuid():N}@portal.test";
        JsonElement added = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => added = await BrowserJourney.SendAsync(support, "POST",
            $"/api/support/practices/{practiceId}/providers", new { name, email, role = "Clinician" }, 201));
        var id = added.GetProperty("providerId").GetGuid();
        await EnableAsync(support, id);
        var context = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(context, "POST", "/api/account/sign-in", new { email, password = BrowserJourney.Password }, 200);
        var ids = new List<Guid>();
        foreach (var (first, last) in clients)
        {
            JsonElement client = default;
            await BrowserJourney.TrackedAsync(Fixture, async () => client = await BrowserJourney.SendAsync(context, "POST", "/api/console/clients",
                new { firstName = first, lastName = last, email = $"client-{Guid.NewGuid():N}@portal.test", dateOfBirth = new DateOnly(1990, 4, 17) }, 201));
            ids.Add(client.GetProperty("clientId").GetGuid());
        }
        return new Member(id, context, ids);
    }

    private async Task EnableAsync(IBrowserContext support, Guid memberId)
    {
        await BrowserJourney.TrackedAsync(Fixture, () =>
            BrowserJourney.SendAsync(support, "PUT", $"/api/support/providers/{memberId}/portal-access", new { enabled = true }, 200));
        await BrowserJourney.SendAsync(support, "PUT", $"/api/support/providers/{memberId}/password", new { password = BrowserJourney.Password }, 204);
    }

    /// <summary>With PORTAL_SCREENSHOTS set, the page as it is now, for a person to look at.</summary>
    private static async Task Screenshots(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("PORTAL_SCREENSHOTS") is not { Length: > 0 }) return;
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"caseload-practice-{name}.png"), FullPage = true });
    }
}

using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>
/// An owner runs the practice's staff in the browser: invites a front desk member on the members page, and the member
/// activates from the link in the email and lands on the console, signed in with the role they were given.
/// </summary>
public sealed class MembersBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string MemberPassword = "Copper-Meadow-Violin-58";

    [Fact]
    public async Task An_owner_invites_a_member_on_the_page_and_the_member_activates_from_the_mailbox_link_and_lands_on_the_console() =>
        await Run(async page =>
        {
            var ownerEmail = await PracticeWithOwnerAsync();
            await BrowserJourney.SendAsync(page.Context, "POST", "/api/account/sign-in",
                new { email = ownerEmail, password = BrowserJourney.Password }, 200);
            await page.SetViewportSizeAsync(1280, 800);

            await page.GotoAsync("/console");
            await page.GetByRole(AriaRole.Link, new() { Name = "Practice members" }).ClickAsync();
            await page.WaitForURLAsync("**/console/practice/members");
            (await page.Locator(".member-list > li").CountAsync()).ShouldBe(1);

            var memberEmail = $"frankie-{Guid.NewGuid():N}@portal.test";
            Fixture.Mail.Clear();
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Frankie Desk");
            await page.GetByLabel("Work email").FillAsync(memberEmail);
            await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Front desk" });
            await BrowserJourney.TrackedAsync(Fixture, () =>
                page.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync());
            await page.WaitForURLAsync("**/console/practice/members");
            (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldContain($"Invitation sent to {memberEmail}");
            var row = page.Locator(".member-list > li", new() { HasText = "Frankie Desk" });
            (await row.InnerTextAsync()).ShouldContain("Invited");
            (await row.Locator("select").InputValueAsync()).ShouldBe("FrontDesk");
            (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();

            var mail = (await Fixture.Mail.WaitForAsync()).Single(m => m.To.Mailboxes.Any(x => x.Address == memberEmail));
            var link = new Uri(MailCapture.LinkIn(mail).ShouldNotBeNull());
            link.AbsolutePath.ShouldBe("/activate/member");

            await using var memberContext = await BrowserJourney.NewContextAsync(Fixture);
            var member = await memberContext.NewPageAsync();
            await member.SetViewportSizeAsync(390, 844);
            await member.GotoAsync(link.PathAndQuery);
            (await member.Locator("main").InnerTextAsync()).ShouldContain("as front desk staff");
            (await BrowserJourney.SeriousAxeViolationsAsync(member)).ShouldBeEmpty();
            await member.GetByLabel("Choose a password").FillAsync(MemberPassword);
            await BrowserJourney.TrackedAsync(Fixture, () =>
                member.GetByRole(AriaRole.Button, new() { Name = "Activate and sign in" }).ClickAsync());
            // Staff set up a second factor before the console opens.
            await member.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/second-factor");
            await BrowserJourney.EnrolOnPageAsync(member, memberEmail);
            await member.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/console");
            (await member.Locator("header").InnerTextAsync()).ShouldContain("Sign out");
            // Front desk is not an owner: no members link for them.
            (await member.GetByRole(AriaRole.Link, new() { Name = "Practice members" }).CountAsync()).ShouldBe(0);

            // The link worked once: opened again it offers a fresh link instead of the form.
            await member.GotoAsync(link.PathAndQuery);
            (await member.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("expired or was already used");

            await page.ReloadAsync();
            (await page.Locator(".member-list > li", new() { HasText = "Frankie Desk" }).InnerTextAsync()).ShouldContain("Active");
        });

    /// <summary>Support creates a practice whose owner has a password; returns the owner's email.</summary>
    private async Task<string> PracticeWithOwnerAsync()
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        var supportEmail = $"support-{unique}@portal.test";
        var ownerEmail = $"owner-{unique}@portal.test";
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, supportEmail, BrowserJourney.Password, "Sam Support",
                TimeProvider.System);
        await using var support = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(support, "POST", "/api/account/sign-in", new { email = supportEmail, password = BrowserJourney.Password }, 200);
        System.Text.Json.JsonElement practice = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => practice = await BrowserJourney.SendAsync(support, "POST",
            "/api/support/practices", new { practiceName = $"Harbor Counseling {unique}", providerName = "Olive Owner", providerEmail = ownerEmail },
            201));
        var ownerId = practice.GetProperty("providerId").GetGuid();
        await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(support, "PUT", $"/api/support/providers/{ownerId}/password",
            new { password = BrowserJourney.Password }, 204));
        return ownerEmail;
    }
}

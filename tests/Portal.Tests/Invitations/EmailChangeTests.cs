using Alba;
using Marten;
using Portal.BuildingBlocks.Auditing;
using Portal.Contracts;
using Portal.Invitations.EmailChanges;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Invitations;

public sealed class EmailChangeTests(PortalFixture fixture) : AccessTest(fixture)
{
    [Fact]
    public async Task A_change_the_provider_approves_applies_when_the_new_address_confirms_and_both_addresses_are_told()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var newEmail = $"new-{Guid.NewGuid():N}@portal.test";

        var (requested, _) = await Post(client, "/api/portal/email-change", new { newEmail }, 202);
        var ask = Published<EmailChangeRequested>(requested).ShouldHaveSingleItem();
        ask.ProviderId.ShouldBe(provider.ProviderId);

        var (approved, _) = await Post(provider, $"/api/console/email-changes/{ask.RequestId}/approve", null, 204);
        var verification = Published<EmailVerificationRequested>(approved).ShouldHaveSingleItem();
        verification.Email.ShouldBe(newEmail);

        // Nothing changes before the new address confirms.
        await Host.SignInAsync(client.Email, client.Password!);

        var (confirmed, _) = await Post(null, "/api/account/email-change/confirm",
            new { token = Host.TokenFrom(verification.VerificationLink) }, 204);
        var changed = Published<EmailAddressChanged>(confirmed).ShouldHaveSingleItem();
        changed.OldEmail.ShouldBe(client.Email);
        changed.NewEmail.ShouldBe(newEmail);

        await Host.SignInAsync(newEmail, client.Password!);
        var roster = await Host.GetAsJson<RosterBody>($"/api/console/clients/{client.ClientId}", provider);
        roster.Email.ShouldBe(newEmail);

        await using var session = OpenSession();
        var actions = await session.Query<AuditEntry>()
            .Where(a => a.ClientId == client.ClientId && a.Action.StartsWith("email-change."))
            .Select(a => a.Action)
            .ToListAsync();
        actions.ShouldBe(["email-change.requested", "email-change.approved", "email-change.applied"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_rejected_change_never_applies()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var (requested, _) = await Post(client, "/api/portal/email-change", new { newEmail = "rejected@portal.test" }, 202);
        var ask = Published<EmailChangeRequested>(requested).Single();

        await Post(provider, $"/api/console/email-changes/{ask.RequestId}/reject", null, 204);
        await Post(provider, $"/api/console/email-changes/{ask.RequestId}/approve", null, 409);
        await Post(provider.Support, $"/api/support/email-changes/{ask.RequestId}/apply", null, 409);
        await Host.SignInAsync(client.Email, client.Password!);
    }

    [Fact]
    public async Task Support_can_carry_out_a_change_the_provider_approved()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var newEmail = $"support-made-{Guid.NewGuid():N}@portal.test";
        var (requested, _) = await Post(client, "/api/portal/email-change", new { newEmail }, 202);
        var ask = Published<EmailChangeRequested>(requested).Single();

        await Post(provider.Support, $"/api/support/email-changes/{ask.RequestId}/apply", null, 409);
        await Post(provider, $"/api/console/email-changes/{ask.RequestId}/approve", null, 204);
        var (applied, _) = await Post(provider.Support, $"/api/support/email-changes/{ask.RequestId}/apply", null, 204);
        Published<EmailAddressChanged>(applied).ShouldHaveSingleItem().NewEmail.ShouldBe(newEmail);
        await Host.SignInAsync(newEmail, client.Password!);
    }

    [Fact]
    public async Task A_waiting_change_stays_on_the_provider_s_client_list_behind_200_newer_decided_ones()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var newEmail = $"still-waiting-{Guid.NewGuid():N}@portal.test";
        await Post(client, "/api/portal/email-change", new { newEmail }, 202);

        // Years of decided requests from the provider's other clients, all newer than the waiting one.
        await using (var session = OpenSession())
        {
            var asked = Clock.GetUtcNow();
            for (var i = 1; i <= 200; i++)
                session.Store(new EmailChangeRequest
                {
                    Id = Guid.NewGuid(), ClientId = Guid.NewGuid(), ProviderId = provider.ProviderId, AccountId = Guid.NewGuid(),
                    OldEmail = $"old-{i}@portal.test", NewEmail = $"rejected-{i}@portal.test",
                    Status = EmailChangeStatus.Rejected, RequestedAt = asked.AddMinutes(i), DecidedAt = asked.AddMinutes(i),
                });
            await session.SaveChangesAsync();
        }

        var page = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url("/console/clients");
            s.StatusCodeShouldBeOk();
        });
        var html = await page.ReadAsTextAsync();
        html.ShouldContain("Email changes waiting for you");
        html.ShouldContain(newEmail);
        html.ShouldNotContain("rejected-1@portal.test");
    }

    [Fact]
    public async Task A_provider_cannot_edit_a_login_email()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);

        var refused = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Put.Json(new { firstName = "Casey", lastName = "Client", dateOfBirth = client.DateOfBirth, email = "hijack@portal.test" })
                .ToUrl($"/api/console/clients/{client.ClientId}");
            s.StatusCodeShouldBe(400);
        });
        (await refused.ReadAsTextAsync()).ShouldContain("email");
        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { newEmail = "hijack@portal.test" }).ToUrl("/api/portal/email-change");
            s.StatusCodeShouldBe(403);
        });

        (await Host.GetAsJson<RosterBody>($"/api/console/clients/{client.ClientId}", provider)).Email.ShouldBe(client.Email);
        await Host.SignInAsync(client.Email, client.Password!);
    }

    private sealed record RosterBody(Guid ClientId, string Email);
}

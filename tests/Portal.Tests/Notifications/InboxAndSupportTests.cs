using Alba;
using Portal.Contracts;
using Portal.Notifications.Inbox;
using Portal.Notifications.Preferences;
using Portal.Notifications.Support;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Notifications;

public sealed class InboxAndSupportTests(PortalFixture fixture) : NotificationTest(fixture)
{
    [Fact]
    public async Task A_provider_sees_their_own_notifications_with_an_unread_count_and_can_mark_them_read()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider, "Jane", "Doe");
        var other = await Host.NewProviderAsync(support: provider.Support);
        var actor = new Actor(ActorKind.Client, Guid.NewGuid(), "Jane Doe");
        await Publish(
            new InsuranceChanged(Guid.NewGuid(), client.ClientId, provider.ProviderId, InsuranceChange.Added, PlanRank.Primary, actor,
                Clock.GetUtcNow()),
            new AssessmentCompleted(Guid.NewGuid(), client.ClientId, provider.ProviderId, "PHQ-9", Guid.NewGuid(), 3, "Minimal", false, actor,
                Clock.GetUtcNow()));

        var list = await GetJson<NotificationList>(provider, "/api/notifications");
        list.UnreadCount.ShouldBe(2);
        list.Items.Select(i => i.Text).ShouldBe(["Jane D. added insurance details", "Jane D. completed an assessment"], ignoreOrder: true);
        list.Items.ShouldAllBe(i => i.Link == $"/console/clients/{client.ClientId}");

        (await GetJson<NotificationList>(other, "/api/notifications")).Items.ShouldBeEmpty();
        await Host.Scenario(s =>
        {
            s.As(other);
            s.Post.Url($"/api/notifications/{list.Items[0].Id}/read");
            s.StatusCodeShouldBe(404);
        });
        (await GetJson<UnreadCount>(provider, "/api/notifications/unread-count")).Count.ShouldBe(2);

        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Url($"/api/notifications/{list.Items[0].Id}/read");
            s.StatusCodeShouldBe(204);
        });
        (await GetJson<UnreadCount>(provider, "/api/notifications/unread-count")).Count.ShouldBe(1);

        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Url("/api/notifications/read-all");
            s.StatusCodeShouldBe(204);
        });
        (await GetJson<UnreadCount>(provider, "/api/notifications/unread-count")).Count.ShouldBe(0);
    }

    [Fact]
    public async Task The_notifications_page_lists_the_providers_notifications()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider, "Jane", "Doe");
        await Publish(new ConsentFormSigned(Guid.NewGuid(), client.ClientId, provider.ProviderId, Guid.NewGuid(), 1, "Practice policies",
            new Actor(ActorKind.Client, Guid.NewGuid(), "Jane Doe"), Clock.GetUtcNow()));

        var page = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url("/console/notifications");
            s.StatusCodeShouldBeOk();
        });
        var html = await page.ReadAsTextAsync();
        html.ShouldContain("1 unread");
        html.ShouldContain(System.Text.Encodings.Web.HtmlEncoder.Default.Encode("Jane D. signed \u201cPractice policies\u201d"));
        html.ShouldContain($"href=\"/console/clients/{client.ClientId}\"");
    }

    [Fact]
    public async Task Email_preferences_are_saved_per_kind_and_urgent_ones_cannot_be_delayed()
    {
        var provider = await Host.NewProviderAsync();

        var invalid = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Put.Json(new { digestHour = 24, timeZone = "Mars/Olympus", modes = new Dictionary<string, string> { ["SafetyFlag"] = "DailyDigest" } })
                .ToUrl("/api/notifications/preferences");
            s.StatusCodeShouldBe(400);
        });
        var problem = await invalid.ReadAsTextAsync();
        problem.ShouldContain("digestHour");
        problem.ShouldContain("timeZone");
        problem.ShouldContain("SafetyFlag");

        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Put.Json(new
                {
                    digestHour = 8, timeZone = "America/Chicago", modes = new Dictionary<string, string> { ["Assessments"] = "DailyDigest" }
                })
                .ToUrl("/api/notifications/preferences");
            s.StatusCodeShouldBeOk();
        });

        var saved = await GetJson<PreferencesView>(provider, "/api/notifications/preferences");
        saved.DigestHour.ShouldBe(8);
        saved.TimeZone.ShouldBe("America/Chicago");
        saved.Modes["Assessments"].ShouldBe(nameof(EmailMode.DailyDigest));
        saved.Modes["Insurance"].ShouldBe(nameof(EmailMode.Immediate));
        saved.Modes.ShouldNotContainKey("SafetyFlag");
        saved.AlwaysImmediate.ShouldBe(["SafetyFlag"]);
    }

    [Fact]
    public async Task Notification_endpoints_are_for_providers_only()
    {
        var provider = await Host.NewProviderAsync();
        await Host.Scenario(s =>
        {
            s.Get.Url("/api/notifications");
            s.StatusCodeShouldBe(401);
        });
        await Host.Scenario(s =>
        {
            s.As(provider.Support);
            s.Get.Url("/api/notifications");
            s.StatusCodeShouldBe(403);
        });
    }

    [Fact]
    public async Task Support_staff_read_the_delivery_log_and_providers_cannot()
    {
        var provider = await Host.NewProviderAsync();
        await Publish(new AccountLocked(Guid.NewGuid(), "locked@example.com", "Lee", Clock.GetUtcNow().AddMinutes(15)));

        var log = await GetJson<List<DeliveryView>>(provider.Support, "/api/support/deliveries?to=locked@example.com");
        var line = log.ShouldHaveSingleItem();
        line.Status.ShouldBe(Portal.Notifications.Delivery.DeliveryStatus.Sent);
        line.Subject.ShouldBe("Your account with the client portal is locked for now");
        (await GetJson<List<DeliveryView>>(provider.Support, "/api/support/deliveries?status=Failed")).ShouldBeEmpty();

        var page = await Host.Scenario(s =>
        {
            s.As(provider.Support);
            s.Get.Url("/support/deliveries");
            s.StatusCodeShouldBeOk();
        });
        (await page.ReadAsTextAsync()).ShouldContain("locked@example.com");

        var health = await Host.Scenario(s =>
        {
            s.As(provider.Support);
            s.Get.Url("/support/health");
            s.StatusCodeShouldBeOk();
        });
        (await health.ReadAsTextAsync()).ShouldContain("0 failed and 0 retrying");

        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url("/api/support/deliveries");
            s.StatusCodeShouldBe(403);
        });
    }

    private async Task<T> GetJson<T>(ISignedIn actor, string url) where T : class
    {
        var result = await Host.Scenario(s =>
        {
            s.As(actor);
            s.Get.Url(url);
            s.StatusCodeShouldBeOk();
        });
        return (await result.ReadAsJsonAsync<T>()).ShouldNotBeNull();
    }
}

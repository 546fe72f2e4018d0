using Alba;
using Marten;
using Microsoft.Extensions.Configuration;
using Portal.BuildingBlocks.Auditing;
using Portal.Contracts;
using Portal.Forms.Safety;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Forms;

/// <summary>
/// A safety answer (PHQ-9 item 9 above 0) stays in front of the provider until they acknowledge it with a note: the
/// console's "Needs attention" panel, the client list's badge, the client's profile; and if nobody acknowledges it in
/// time, the provider is emailed again, once.
/// </summary>
public sealed class SafetyFlagTests(PortalFixture fixture) : FormsTest(fixture)
{
    private static readonly int[] SafetyAnswer = [1, 0, 1, 0, 0, 0, 0, 0, 2];
    private const string EscalationSubject = "Reminder: a safety answer needs your attention";

    private sealed record FlagView(Guid FlagId, Guid ClientId, string ClientName, string Instrument, string InstrumentName,
        DateTimeOffset RaisedAt, DateTimeOffset? EscalatedAt, DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy, string? Note);

    private sealed record ListPage(List<Row> Clients);

    private sealed record Row(Guid ClientId, int SafetyFlags);

    [Fact]
    public async Task A_safety_answer_is_in_the_panel_and_the_client_list_until_acknowledged_with_a_note_which_the_profile_shows_and_the_audit_records()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Robin", "Rivera");
        var flagId = await AnswerWithSafetyFlagAsync(client);

        var landing = await Host.GetAsText("/console/clients", provider);
        landing.ShouldContain("Needs attention");
        landing.ShouldContain($"data-flag=\"{flagId}\"");
        landing.ShouldContain($"<a href=\"/console/clients/{client.ClientId}\"><strong>Robin Rivera</strong></a>");
        landing.ShouldContain("safety answer in the PHQ-9");
        landing.ShouldContain("data-safety-flags=\"1\"");
        landing.ShouldNotContain("better off dead", Case.Insensitive); // the item's text is never on the panel
        // The panel comes before the list and its filters.
        landing.IndexOf($"data-flag=\"{flagId}\"", StringComparison.Ordinal)
            .ShouldBeLessThan(landing.IndexOf("Search by name or email", StringComparison.Ordinal));
        var console = await Host.GetAsText("/console", provider);
        console.ShouldContain($"data-flag=\"{flagId}\"");
        console.ShouldContain("href=\"/console/clients\"");
        (await RowAsync(provider, client.ClientId)).SafetyFlags.ShouldBe(1);

        // The provider acknowledges from the panel, like a browser: the page's token, a note, back to the list.
        var opened = await Host.OpenPageAsync(provider, "/console/clients");
        var (_, posted) = await TrackedScenario(s => s.PostForm(provider, opened, $"/console/safety-flags/{flagId}", "",
            new Dictionary<string, string> { ["Note"] = "Called Robin the same afternoon; safety plan reviewed." }, "returnUrl=%2Fconsole%2Fclients"));
        posted.Context.Response.StatusCode.ShouldBe(302);
        posted.Context.Response.Headers.Location.ToString().ShouldBe("/console/clients");

        var after = await Host.GetAsText("/console/clients", provider);
        after.ShouldNotContain($"data-flag=\"{flagId}\"");
        after.ShouldContain("data-safety-flags=\"0\"");
        (await RowAsync(provider, client.ClientId)).SafetyFlags.ShouldBe(0);
        (await Host.GetAsText("/console", provider)).ShouldNotContain("Needs attention");

        var profile = await Host.GetAsText($"/console/clients/{client.ClientId}", provider);
        profile.ShouldContain("Safety follow-up");
        profile.ShouldContain("Acknowledged by <strong>Pat Provider</strong>");
        profile.ShouldContain("Called Robin the same afternoon; safety plan reviewed.");

        var flag = (await Json<List<FlagView>>(provider, HttpMethod.Get, $"/api/clients/{client.ClientId}/safety-flags", null, 200))
            .ShouldHaveSingleItem();
        flag.FlagId.ShouldBe(flagId);
        flag.AcknowledgedBy.ShouldBe("Pat Provider");
        flag.AcknowledgedAt.ShouldBe(Clock.GetUtcNow());
        flag.Note.ShouldBe("Called Robin the same afternoon; safety plan reviewed.");

        await using var session = OpenSession();
        var audit = await session.Query<AuditEntry>().Where(a => a.Action == "forms.safety-flag.acknowledge").ToListAsync();
        var entry = audit.ShouldHaveSingleItem();
        entry.RecordId.ShouldBe(flagId.ToString());
        entry.ClientId.ShouldBe(client.ClientId);
        entry.ActorRole.ShouldBe("provider");
        (await session.Query<AuditEntry>().CountAsync(a => a.Action == "forms.safety-flag.read" && a.ClientId == client.ClientId))
            .ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task The_note_is_required_and_limited_another_practice_gets_404_and_a_second_acknowledgement_409()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Sam", "Stone");
        var flagId = await AnswerWithSafetyFlagAsync(client);
        var url = $"/api/console/safety-flags/{flagId}/acknowledgement";

        var empty = await Send(provider, HttpMethod.Post, url, new { note = "  " }, 400);
        (await empty.ReadAsTextAsync()).ShouldContain("\"note\"");
        var tooLong = await Send(provider, HttpMethod.Post, url, new { note = new string('n', AcknowledgeSafetyFlagValidator.MaxNote + 1) }, 400);
        var problem = await tooLong.ReadAsTextAsync();
        tooLong.Context.Response.ContentType.ShouldBe("application/problem+json");
        problem.ShouldContain("\"note\"");
        problem.ShouldContain("at most 500 characters");

        // The page refuses the same way, says so next to the note, and keeps what was typed.
        var opened = await Host.OpenPageAsync(provider, $"/console/safety-flags/{flagId}");
        var page = await Host.Scenario(s => s.PostForm(provider, opened, $"/console/safety-flags/{flagId}", "",
            new Dictionary<string, string> { ["Note"] = new string('p', 501) }));
        page.Context.Response.StatusCode.ShouldBe(400);
        var html = await page.ReadAsTextAsync();
        html.ShouldContain("The note must be at most 500 characters.");
        html.ShouldContain(new string('p', 501));

        var stranger = await Host.NewProviderAsync();
        await Send(stranger, HttpMethod.Post, url, new { note = "Not my client." }, 404);
        await Send(stranger, HttpMethod.Get, $"/api/clients/{client.ClientId}/safety-flags", null, 404);
        (await Json<List<FlagView>>(stranger, HttpMethod.Get, "/api/console/safety-flags", null, 200)).ShouldBeEmpty();
        // No panel for another practice ("Needs attention" is also a status in the list's filter).
        var strangersList = await Host.GetAsText("/console/clients", stranger);
        strangersList.ShouldNotContain("data-flag=");
        strangersList.ShouldNotContain("safety answer in the PHQ-9");
        foreach (var hidden in new[] { $"/console/clients/{client.ClientId}", $"/console/safety-flags/{flagId}" })
        {
            var refused = await Host.Scenario(s =>
            {
                s.As(stranger);
                s.Get.Url(hidden);
                s.StatusCodeShouldBe(404);
            });
            (await refused.ReadAsTextAsync()).ShouldNotContain("Sam Stone");
        }

        // Nothing was stored by the refusals: still open, in the provider's panel.
        (await Json<List<FlagView>>(provider, HttpMethod.Get, "/api/console/safety-flags", null, 200)).ShouldHaveSingleItem().FlagId.ShouldBe(flagId);

        var (tracked, done) = await Tracked(provider, HttpMethod.Post, url, new { note = "Spoke with Sam; appointment moved to tomorrow." }, 200);
        (await done.ReadAsJsonAsync<FlagView>())!.AcknowledgedBy.ShouldBe("Pat Provider");
        var acknowledged = Published<SafetyFlagAcknowledged>(tracked).ShouldHaveSingleItem();
        acknowledged.FlagId.ShouldBe(flagId);
        acknowledged.ClientId.ShouldBe(client.ClientId);
        var again = await Send(provider, HttpMethod.Post, url, new { note = "Again." }, 409);
        (await again.ReadAsTextAsync()).ShouldContain("Pat Provider acknowledged it");
    }

    [Fact]
    public async Task A_flag_left_unacknowledged_for_4_hours_emails_the_provider_again_once_without_health_detail()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Kai", "Kim");
        var (answered, flagId) = await AnswerTrackedAsync(client);
        var timer = answered.Scheduled.MessagesOf<EscalateSafetyFlag>().ShouldHaveSingleItem();
        timer.FlagId.ShouldBe(flagId);
        timer.DueAt.ShouldBe(Clock.GetUtcNow() + TimeSpan.FromHours(4));

        // Early (the portal's clock is what counts): it waits again and nothing is sent.
        Clock.Advance(TimeSpan.FromHours(4) - TimeSpan.FromMinutes(1));
        var early = await answered.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        Published<SafetyFlagEscalated>(early).ShouldBeEmpty();
        early.Scheduled.MessagesOf<EscalateSafetyFlag>().ShouldHaveSingleItem();

        Clock.Advance(TimeSpan.FromMinutes(1));
        var due = await early.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        var escalated = Published<SafetyFlagEscalated>(due).ShouldHaveSingleItem();
        escalated.FlagId.ShouldBe(flagId);
        escalated.ProviderId.ShouldBe(provider.ProviderId);

        var email = (await EscalationEmailsAsync(provider, 1)).ShouldHaveSingleItem();
        var text = email.TextBody ?? string.Empty;
        text.ShouldContain("A safety answer needs your attention.");
        text.ShouldContain("/console");
        text.ShouldNotContain("Kai");
        text.ShouldNotContain("Kim");
        text.ShouldNotContain("PHQ");
        (email.HtmlBody ?? string.Empty).ShouldNotContain("Kai");

        // A replay of the timer (a second host, a restart) sends nothing more.
        var replayed = await early.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        Published<SafetyFlagEscalated>(replayed).ShouldBeEmpty();
        await Task.Delay(500);
        Mail.To(provider.Email).Count(m => m.Subject == EscalationSubject).ShouldBe(1);

        // The panel says a reminder went out; the flag stays until acknowledged (hours later: the provider signs in again).
        provider = await Host.SignInAgainAsync(provider);
        (await Host.GetAsText("/console/clients", provider)).ShouldContain("reminder sent");
    }

    [Fact]
    public async Task A_flag_acknowledged_before_its_timer_fires_is_never_escalated()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Lee", "Lane");
        var (answered, flagId) = await AnswerTrackedAsync(client);

        Clock.Advance(TimeSpan.FromHours(1));
        provider = await Host.SignInAgainAsync(provider);
        await Tracked(provider, HttpMethod.Post, $"/api/console/safety-flags/{flagId}/acknowledgement",
            new { note = "Reached Lee by phone within the hour." }, 200);

        Clock.Advance(TimeSpan.FromHours(4));
        var fired = await answered.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        Published<SafetyFlagEscalated>(fired).ShouldBeEmpty();
        await Task.Delay(500);
        Mail.To(provider.Email).Count(m => m.Subject == EscalationSubject).ShouldBe(0);
    }

    [Theory]
    [InlineData(null, 4 * 60)]
    [InlineData("00:30:00", 30)]
    [InlineData("1.00:00:00", 24 * 60)]
    public void The_escalation_delay_is_configurable_and_defaults_to_4_hours(string? setting, int minutes) =>
        SafetyFlagSettings.From(Settings(setting)).EscalateAfter.ShouldBe(TimeSpan.FromMinutes(minutes));

    [Theory]
    [InlineData("0")]
    [InlineData("-01:00:00")]
    [InlineData("soon")]
    public void An_escalation_delay_that_is_not_a_positive_time_stops_the_host(string setting) =>
        Should.Throw<InvalidOperationException>(() => SafetyFlagSettings.From(Settings(setting))).Message.ShouldContain(SafetyFlagSettings.Key);

    private static IConfiguration Settings(string? value) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(value is null ? [] : [new KeyValuePair<string, string?>(SafetyFlagSettings.Key, value)])
            .Build();

    private async Task<Guid> AnswerWithSafetyFlagAsync(ClientActor client) => (await AnswerTrackedAsync(client)).FlagId;

    private async Task<(ITrackedSession Tracked, Guid FlagId)> AnswerTrackedAsync(ClientActor client)
    {
        var (tracked, _) = await Tracked(client, HttpMethod.Post, "/api/portal/assessments/phq9", new { answers = SafetyAnswer }, 201);
        return (tracked, Published<SafetyFlagRaised>(tracked).ShouldHaveSingleItem().EventId);
    }

    private async Task<Row> RowAsync(ProviderActor provider, Guid clientId) =>
        (await Host.GetAsJson<ListPage>("/api/console/caseload", provider)).Clients.Single(c => c.ClientId == clientId);

    private async Task<List<MimeKit.MimeMessage>> EscalationEmailsAsync(ProviderActor provider, int count)
    {
        for (var waited = 0; waited < 100; waited++)
        {
            var found = Mail.To(provider.Email).Where(m => m.Subject == EscalationSubject).ToList();
            if (found.Count >= count) return found;
            await Task.Delay(100);
        }
        return Mail.To(provider.Email).Where(m => m.Subject == EscalationSubject).ToList();
    }
}

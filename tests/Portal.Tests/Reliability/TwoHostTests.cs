using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Portal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Portal.Tests.Reliability;

/// <summary>
/// Two host processes on one database, as behind a load balancer: the same Data Protection key ring (stored in
/// PostgreSQL), the same durable inbox, outbox and scheduled messages. They run in the Testing environment, the only
/// one that honours the shared test clock (<c>Portal:TestClock:OffsetFile</c>), so reminders and expiry checks can be
/// made due without waiting days.
/// </summary>
public sealed class TwoHostsFixture : IAsyncLifetime
{
    private readonly string _clockFile = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "reliability", "two-hosts-clock.txt");

    public MailCapture Mail { get; } = new();
    internal ScratchDatabase Db { get; private set; } = null!;
    internal PortalProcess A { get; private set; } = null!;
    internal PortalProcess B { get; private set; } = null!;
    internal PortalApi ApiA { get; private set; } = null!;
    internal PortalApi ApiB { get; private set; } = null!;

    /// <summary>Completes when host B is ready.</summary>
    internal Task SecondStarted { get; private set; } = Task.CompletedTask;

    /// <summary>How far the hosts' clock is ahead of the real time.</summary>
    public TimeSpan ClockOffset { get; private set; }

    public async Task InitializeAsync()
    {
        Db = await ScratchDatabase.CreateFreshAsync("portal_two_hosts", pooling: false);
        Mail.Start();
        Directory.CreateDirectory(Path.GetDirectoryName(_clockFile)!);
        MoveClockTo(TimeSpan.Zero);
        var settings = ReliabilityRun.FastFailover();
        settings["Portal__TestClock__OffsetFile"] = _clockFile;
        A = new PortalProcess("host-a", "Testing", Db.ConnectionString, Mail, settings);
        B = new PortalProcess("host-b", "Testing", Db.ConnectionString, Mail, settings);
        await A.StartAsync(); // creates the schema; the second joins while the test begins on the first
        SecondStarted = B.StartAsync();
        ApiA = new PortalApi(A.BaseAddress, () => ClockOffset);
        ApiB = new PortalApi(B.BaseAddress, () => ClockOffset);
    }

    /// <summary>Sets the hosts' clock to the real time plus <paramref name="offset"/> (never backwards).</summary>
    public void MoveClockTo(TimeSpan offset)
    {
        if (offset < ClockOffset) throw new ArgumentOutOfRangeException(nameof(offset), "The portal's clock never goes back.");
        var temporary = _clockFile + ".tmp";
        File.WriteAllText(temporary, offset.TotalSeconds.ToString("R", CultureInfo.InvariantCulture));
        File.Move(temporary, _clockFile, overwrite: true);
        ClockOffset = offset;
    }

    public async Task DisposeAsync()
    {
        ApiA?.Dispose();
        ApiB?.Dispose();
        if (A is not null) await A.DisposeAsync();
        if (B is not null)
        {
            await SecondStarted.ContinueWith(_ => { }, TaskScheduler.Default);
            await B.DisposeAsync();
        }
        await Mail.DisposeAsync();
    }
}

[Collection(ReliabilityCollection.Name)]
public sealed class TwoHostTests(TwoHostsFixture hosts, ITestOutputHelper output) : IClassFixture<TwoHostsFixture>
{
    private int _turn;

    /// <summary>The next host, alternating A, B, A, ... as a round-robin load balancer would.</summary>
    private PortalApi Next() => Interlocked.Increment(ref _turn) % 2 == 1 ? hosts.ApiA : hosts.ApiB;

    [Fact]
    public async Task Requests_alternate_between_two_hosts_and_reminders_and_expiry_checks_fire_once_even_when_one_host_is_killed()
    {
        // One session, two hosts: signed in on A, the cookie works on B, and writes on one are read on the other.
        var support = await hosts.ApiA.SignInAsync(PortalProcess.SupportEmail);
        var provider = await hosts.ApiA.NewProviderAsync(support, "two");
        await hosts.SecondStarted;
        var onB = await hosts.ApiB.ExpectAsync(HttpMethod.Get, "/api/account/me", null, support.Cookie, HttpStatusCode.OK);
        onB!["userId"]!.GetValue<Guid>().ShouldBe(support.Id);
        (await hosts.ApiB.ExpectAsync(HttpMethod.Get, "/api/account/me", null, provider.Cookie, HttpStatusCode.OK))!["userId"].ShouldNotBeNull();
        const int clientCount = 3;
        var clients = new List<ReliabilityPeople.Client> { await Next().NewClientAsync(provider, hosts.Mail, "t0") };
        clients.AddRange(await Task.WhenAll(Enumerable.Range(1, clientCount - 1).Select(i => Next().NewClientAsync(provider, hosts.Mail, $"t{i}"))));
        foreach (var client in clients)
        {
            foreach (var api in new[] { hosts.ApiA, hosts.ApiB })
            {
                var seen = await api.ExpectAsync(HttpMethod.Get, $"/api/console/clients/{client.ClientId}", null, provider.Cookie, HttpStatusCode.OK);
                seen!["email"]!.GetValue<string>().ShouldBe(client.Email);
                (await api.ExpectAsync(HttpMethod.Get, "/api/account/me", null, client.Cookie, HttpStatusCode.OK))!["userId"].ShouldNotBeNull();
            }
        }

        // Autopay for every client: the card expiry checks are durable timers too (a reminder 30 days before the
        // card's last day, then the suspension).
        var expiry = DateTimeOffset.UtcNow.AddMonths(3);
        foreach (var client in clients)
        {
            var token = await Next().ExpectAsync(HttpMethod.Post, "/sandbox-gateway/tokens",
                new { number = "4242424242424242", expMonth = expiry.Month, expYear = expiry.Year, cvc = "123" }, client.Cookie, HttpStatusCode.OK);
            await Next().ExpectAsync(HttpMethod.Post, "/api/autopay/enrolment", new
            {
                cardToken = token!["token"]!.GetValue<string>(),
                cardholderName = "Robin Client",
                billingPostalCode = "97201",
                consentVersion = "2026-11-01",
                agreedToAuthorization = true,
            }, client.Cookie, HttpStatusCode.OK);
        }
        (await hosts.Db.ScheduledAsync("CardExpiryCheck")).ShouldBe(2 * clientCount);
        var endOfValidity = new DateTimeOffset(expiry.Year, expiry.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);

        // Rounds: one in CI, more in soak mode. Each round sets a task due in 3 days with 2 daily reminders per
        // client (through either host), lets the first reminders fire with both hosts up, kills one host (A, then B,
        // ...), and lets the survivor fire the second reminders and the overdue marks, whatever the dead one held.
        var soakUntil = ReliabilityRun.Soak is { } soak ? DateTime.UtcNow + soak : (DateTime?)null;
        var round = 0;
        do
        {
            round++;
            var (victim, survivor) = round % 2 == 1 ? (hosts.A, hosts.B) : (hosts.B, hosts.A);
            // Sessions last 12 hours at most and the clock has moved on: the provider signs in again.
            var providerCookie = (await Next().SignInAsync(provider.Email)).Cookie;
            var assignments = new List<Guid>();
            var scheduledBefore = await hosts.Db.ScheduledAsync("SendTaskReminder");
            foreach (var client in clients)
            {
                var created = await Next().ExpectAsync(HttpMethod.Post, $"/api/clients/{client.ClientId}/requests",
                    new { kind = "AddInsurance", dueInDays = 3, remindEveryDays = 1, maxReminders = 2 }, providerCookie, HttpStatusCode.Created);
                assignments.Add(created!["assignmentId"]!.GetValue<Guid>());
            }
            (await hosts.Db.ScheduledAsync("SendTaskReminder")).ShouldBe(scheduledBefore + clientCount);
            var remindersBefore = ReminderEmails(clients);

            // Both hosts up: a day and a half later, the first reminder of each task fires once across the two.
            await AdvanceAsync(TimeSpan.FromDays(1.5));
            await WaitForAsync(survivor, async () => await RemindersSentAsync(assignments) == clientCount
                                           && ReminderEmails(clients) == remindersBefore + clientCount,
                async () => $"round {round}: reminders sent {await RemindersSentAsync(assignments)}, " +
                            $"reminder emails {ReminderEmails(clients) - remindersBefore} of {clientCount}");
            await Task.Delay(TimeSpan.FromSeconds(2)); // twins, if any, would show now
            var first = (Events: await RemindersSentAsync(assignments), Emails: ReminderEmails(clients) - remindersBefore);

            // One host dies; the survivor alone fires the rest (in round 1 past the card reminders' date too).
            victim.Kill();
            var killedAt = System.Diagnostics.Stopwatch.StartNew();
            var cardRound = round == 1;
            await AdvanceAsync(cardRound
                ? endOfValidity - TimeSpan.FromDays(30) + TimeSpan.FromHours(1) - (DateTimeOffset.UtcNow + hosts.ClockOffset)
                : TimeSpan.FromDays(2));
            await WaitForAsync(survivor, async () => await RemindersSentAsync(assignments) == 2 * clientCount
                                           && await OverdueAsync(assignments) == clientCount
                                           && ReminderEmails(clients) == remindersBefore + 2 * clientCount
                                           && (!cardRound || CardEmails(clients) == clientCount)
                                           && await hosts.Db.PendingWolverineWorkAsync() == 0,
                async () => $"round {round}: reminders sent {await RemindersSentAsync(assignments)}, overdue {await OverdueAsync(assignments)}, " +
                            $"reminder emails {ReminderEmails(clients) - remindersBefore}, card emails {CardEmails(clients)}, " +
                            $"pending {await hosts.Db.PendingWolverineWorkAsync()}");
            var takeover = killedAt.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(2));

            var figures = $"two hosts, round {round}: {clientCount} clients; " +
                          $"both up: reminder events {first.Events}, reminder emails {first.Emails} (expected {clientCount}); " +
                          $"{(victim == hosts.A ? "A" : "B")} killed: reminder events {await RemindersSentAsync(assignments)}, " +
                          $"overdue {await OverdueAsync(assignments)} " +
                          $"(expected {2 * clientCount}, {clientCount}), finished {takeover.TotalSeconds:F0}s after the kill; " +
                          $"all rounds: reminder emails {ReminderEmails(clients)} distinct in {ReminderCopies(clients)} SMTP messages, " +
                          $"card expiry emails {CardEmails(clients)} in {CardCopies(clients)} (expected {clientCount}); " +
                          $"dead letters {await hosts.Db.DeadLettersAsync()}; " +
                          $"host starts A {hosts.A.LastStartTime.TotalSeconds:F1}s, B {hosts.B.LastStartTime.TotalSeconds:F1}s";
            output.WriteLine(figures);
            File.AppendAllText(Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "reliability", "figures.txt"),
                $"{DateTimeOffset.UtcNow:O} {figures}{Environment.NewLine}");

            first.ShouldBe(((long)clientCount, clientCount), "the first reminders fired once across both hosts");
            (await RemindersSentAsync(assignments)).ShouldBe(2 * clientCount);
            (await OverdueAsync(assignments)).ShouldBe(clientCount);
            ReminderCopies(clients).ShouldBe(ReminderEmails(clients), "each reminder email was sent once");
            ReminderEmails(clients).ShouldBe(round * 2 * clientCount);
            CardCopies(clients).ShouldBe(clientCount, "each card expiry reminder was sent once");
            CardEmails(clients).ShouldBe(clientCount);
            (await hosts.Db.DeadLettersAsync()).ShouldBe(0);

            // The killed host comes back and does nothing twice.
            await victim.StartAsync();
            await Task.Delay(TimeSpan.FromSeconds(2));
            ReminderCopies(clients).ShouldBe(round * 2 * clientCount);
            CardCopies(clients).ShouldBe(clientCount);
        }
        while (soakUntil is { } until && DateTime.UtcNow < until);
    }

    [Fact]
    public async Task A_safety_flag_left_unacknowledged_is_escalated_by_email_once_across_the_two_hosts()
    {
        var support = await hosts.ApiA.SignInAsync(PortalProcess.SupportEmail);
        var provider = await hosts.ApiA.NewProviderAsync(support, "flag");
        await hosts.SecondStarted;
        var client = await hosts.ApiB.NewClientAsync(provider, hosts.Mail, "f0");
        await hosts.ApiA.ExpectAsync(HttpMethod.Post, "/api/portal/assessments/phq9",
            new { answers = new[] { 0, 0, 0, 0, 0, 0, 0, 0, 1 } }, client.Cookie, HttpStatusCode.Created);
        await ReliabilityRun.WaitUntilAsync(async () => await hosts.Db.ScheduledAsync("EscalateSafetyFlag") == 1, TimeSpan.FromSeconds(10),
            async () => $"escalation timers scheduled {await hosts.Db.ScheduledAsync("EscalateSafetyFlag")}");

        // Both hosts poll the scheduled messages; four hours later by the portal's clock, one of them escalates.
        await AdvanceAsync(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1));
        await WaitForAsync(hosts.A, async () => await Task.FromResult(EscalationEmails(provider).Count >= 1),
            async () => await Task.FromResult($"escalation emails {EscalationEmails(provider).Count}"));
        await Task.Delay(TimeSpan.FromSeconds(2)); // a twin from the other host would show now

        var emails = EscalationEmails(provider);
        output.WriteLine($"two hosts, safety escalation: {emails.Count} SMTP messages, {emails.Select(m => m.MessageId).Distinct().Count()} distinct");
        emails.Count.ShouldBe(1, "the escalation email was sent once across both hosts");
        (await hosts.Db.ScheduledAsync("EscalateSafetyFlag")).ShouldBe(0);
        (await hosts.Db.DeadLettersAsync()).ShouldBe(0);
    }

    private List<MimeKit.MimeMessage> EscalationEmails(ReliabilityPeople.Provider provider) =>
        hosts.Mail.To(provider.Email).Where(m => m.Subject == "Reminder: a safety answer needs your attention").ToList();

    private async Task AdvanceAsync(TimeSpan by)
    {
        hosts.MoveClockTo(hosts.ClockOffset + by);
        await Task.Delay(300); // the hosts re-read the clock file at most every 100 ms
    }

    /// <summary>Waits, making due what the portal's clock says is due (Wolverine's poller keeps the real time).</summary>
    private async Task WaitForAsync(PortalProcess survivor, Func<Task<bool>> done, Func<Task<string>> describe) =>
        await ReliabilityRun.WaitUntilAsync(async () =>
        {
            await hosts.Db.MakeDueByPortalClockAsync(hosts.ClockOffset);
            return await done();
        }, TimeSpan.FromSeconds(90), async () => $"{await describe()}; log of the host that stayed up:{Environment.NewLine}{survivor.Tail()}");

    private Task<long> RemindersSentAsync(List<Guid> assignments) =>
        hosts.Db.CountAsync("select count(*) from events.mt_events where stream_id = any(@ids) and type = 'assignment_reminder_sent'",
            ("ids", assignments.ToArray()));

    private Task<long> OverdueAsync(List<Guid> assignments) =>
        hosts.Db.CountAsync("select count(*) from events.mt_events where stream_id = any(@ids) and type = 'assignment_task_overdue'",
            ("ids", assignments.ToArray()));

    private int ReminderEmails(List<ReliabilityPeople.Client> clients) =>
        Emails(clients, "is waiting for you to complete").Select(m => m.MessageId).Distinct().Count();

    private int ReminderCopies(List<ReliabilityPeople.Client> clients) => Emails(clients, "is waiting for you to complete").Count;

    private int CardEmails(List<ReliabilityPeople.Client> clients) =>
        Emails(clients, "that you use for autopay").Select(m => m.MessageId).Distinct().Count();

    private int CardCopies(List<ReliabilityPeople.Client> clients) => Emails(clients, "that you use for autopay").Count;

    private List<MimeKit.MimeMessage> Emails(List<ReliabilityPeople.Client> clients, string text) =>
        clients.SelectMany(c => hosts.Mail.To(c.Email)).Where(m => (m.TextBody ?? string.Empty).Contains(text, StringComparison.Ordinal)).ToList();
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Portal.Notifications.Delivery;
using Portal.Notifications.Inbox;
using Portal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Portal.Tests.Reliability;

/// <summary>
/// The real host as an OS process (Production environment, its own database, a real SMTP server in the test), under
/// load from several signed-in clients and their provider, killed with SIGKILL and started again on the same
/// database. Nothing acknowledged may be lost, every provider email those writes cause arrives once (counted by
/// Message-ID), and no assignment is left behind.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int ClientCount = 4;
    private const string MessageIdDomain = "portal.localhost";

    private readonly MailCapture _mail = new();
    private ScratchDatabase _db = null!;
    private PortalProcess _host = null!;

    public async Task InitializeAsync()
    {
        _db = await ScratchDatabase.CreateFreshAsync("portal_crash", pooling: false);
        _mail.Start();
        _host = new PortalProcess("crash-host", "Production", _db.ConnectionString, _mail, ReliabilityRun.FastFailover());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _mail.DisposeAsync();
    }

    [Fact]
    public async Task A_host_killed_under_load_keeps_every_acknowledged_write_emails_the_provider_once_per_change_and_leaves_no_assignment_stuck()
    {
        var run = Stopwatch.StartNew();
        await _host.StartAsync();
        var firstStart = _host.LastStartTime;
        using var api = new PortalApi(_host.BaseAddress);
        var support = await api.SignInAsync(PortalProcess.SupportEmail);
        var provider = await api.NewProviderAsync(support, "crash");
        // The first client warms the endpoints up; the others are invited and sign in at the same time.
        var clients = new List<ReliabilityPeople.Client> { await api.NewClientAsync(provider, _mail, "c0") };
        clients.AddRange(await Task.WhenAll(Enumerable.Range(1, ClientCount - 1).Select(i => api.NewClientAsync(provider, _mail, $"c{i}"))));

        // Each client is asked for their insurance before the load: the first save completes that request.
        var requested = new ConcurrentBag<Guid>();
        foreach (var client in clients)
        {
            var created = await api.ExpectAsync(HttpMethod.Post, $"/api/clients/{client.ClientId}/requests", new { kind = "AddInsurance" },
                provider.Cookie, HttpStatusCode.Created);
            requested.Add(created!["assignmentId"]!.GetValue<Guid>());
        }
        var setupTime = run.Elapsed;

        var load = new Load(api, clients, provider, requested);
        var clientLoops = clients.Select((c, i) => load.ClientAsync(c, i)).ToList();
        var providerLoop = load.ProviderAsync();
        var restarts = new List<TimeSpan>();
        var soakUntil = ReliabilityRun.Soak is { } soak ? DateTime.UtcNow + soak : (DateTime?)null;
        do
        {
            await load.UntilMoreAcknowledgedAsync(8, TimeSpan.FromSeconds(30));
            await Task.Delay(Random.Shared.Next(0, 250));
            _host.Kill();
            await _host.StartAsync();
            restarts.Add(_host.LastStartTime);
            await load.UntilMoreAcknowledgedAsync(8, TimeSpan.FromSeconds(60));
            Report($"  cycle {restarts.Count}: killed and restarted in {_host.LastStartTime.TotalSeconds:F1}s; " +
                   $"saves acknowledged so far {load.AcknowledgedSaves.Count}, " +
                   $"task requests {load.AcknowledgedRequests.Count}, failures {load.Failures.Count}");
        }
        while (soakUntil is { } until && DateTime.UtcNow < until);
        await load.StopAsync(providerLoop, clientLoops);
        var loadEnded = run.Elapsed;
        var sinceLoadEnded = Stopwatch.StartNew();

        // Drain: the durable inbox/outbox of the restarted host finishes what the killed one had accepted.
        var clientIds = clients.Select(c => c.ClientId).ToArray();
        Expected expected = null!;
        await ReliabilityRun.WaitUntilAsync(async () =>
            {
                expected = await ExpectedAsync(api, provider, clientIds);
                return await _db.PendingWolverineWorkAsync() == 0
                       && expected.RunningAssignments == 0
                       && ProviderMessageIds(provider).Distinct().Count() >= expected.Emails;
            },
            TimeSpan.FromSeconds(120),
            async () => $"pending Wolverine work {await _db.PendingWolverineWorkAsync()}, running assignments {expected?.RunningAssignments}, " +
                        $"provider emails {ProviderMessageIds(provider).Distinct().Count()} of {expected?.Emails}; " +
                        $"host log:{Environment.NewLine}{_host.Tail()}");
        await Task.Delay(TimeSpan.FromSeconds(1)); // a late duplicate would arrive now
        expected = await ExpectedAsync(api, provider, clientIds);
        var drained = sinceLoadEnded.Elapsed - TimeSpan.FromSeconds(1);

        var events = await _db.ListAsync("select data::text from events.mt_events where stream_id = any(@ids)", r => r.GetString(0),
            ("ids", clientIds));
        var savesFound = load.AcknowledgedSaves.Count(save => events.Any(e => e.Contains($"\"{save.MemberId}\"", StringComparison.Ordinal)));
        var requestsFound = load.AcknowledgedRequests.Count(expected.AssignmentIds.Contains);
        var delivered = ProviderMessageIds(provider);
        var copies = delivered.GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        var deadLetters = await _db.DeadLettersAsync();

        Report($"crash recovery: {restarts.Count} SIGKILL(s) under load of {ClientCount} clients + 1 provider; " +
               $"soak={(ReliabilityRun.Soak?.ToString() ?? "off")}");
        Report($"  host start {firstStart.TotalSeconds:F1}s (fresh database), " +
               $"restarts {string.Join(", ", restarts.Select(r => $"{r.TotalSeconds:F1}s"))}");
        Report($"  writes acknowledged {load.AcknowledgedSaves.Count + load.AcknowledgedRequests.Count}, found {savesFound + requestsFound} " +
               $"(insurance saves {load.AcknowledgedSaves.Count}/{savesFound}, task requests {load.AcknowledgedRequests.Count}/{requestsFound}); " +
               $"requests cut off by the kill or refused while the host was down {load.Unknown}; 409s {load.Conflicts}");
        Report($"  provider emails expected {expected.Emails} " +
               $"(insurance changes {expected.InsuranceChanges} + completed assignments {expected.AssignmentIds.Count}), " +
               $"delivered {copies.Count} distinct Message-IDs in {delivered.Count} SMTP messages " +
               $"(re-sent copies with the same Message-ID: {delivered.Count - copies.Count})");
        Report($"  assignments {expected.AssignmentIds.Count}, running {expected.RunningAssignments}; dead letters {deadLetters}; " +
               $"setup {setupTime.TotalSeconds:F0}s, load until {loadEnded.TotalSeconds:F0}s, " +
               $"drained {drained.TotalSeconds:F1}s after the load stopped");

        load.Failures.ShouldBeEmpty("requests answered with an error other than a 409 conflict");
        savesFound.ShouldBe(load.AcknowledgedSaves.Count, "every insurance save answered 2xx is in the event store");
        requestsFound.ShouldBe(load.AcknowledgedRequests.Count, "every task request answered 201 is an assignment");
        load.AcknowledgedSaves.Count.ShouldBeGreaterThan(0);
        expected.RunningAssignments.ShouldBe(0, "no assignment is stuck: every requested insurance task was completed by a save");
        // Each completed assignment's email, named exactly; the other emails are the insurance changes, one each.
        copies.Keys.Intersect(expected.AssignmentMessageIds).Count()
            .ShouldBe(expected.AssignmentMessageIds.Count, "one email per completed assignment");
        var insuranceEmails = _mail.To(provider.Email).Where(m => !expected.AssignmentMessageIds.Contains(m.MessageId ?? string.Empty)).ToList();
        insuranceEmails.ShouldAllBe(m => (m.TextBody ?? string.Empty).Contains("insurance details"));
        insuranceEmails.Select(m => m.MessageId).Distinct().Count()
            .ShouldBe(expected.InsuranceChanges, "one email per insurance change, by Message-ID");
        copies.Count.ShouldBe(expected.Emails);
        deadLetters.ShouldBe(0);
    }

    [Fact]
    public async Task A_safety_flag_escalation_timer_survives_a_kill_and_emails_the_provider_once_after_the_restart()
    {
        var settings = ReliabilityRun.FastFailover();
        settings["Portal__SafetyFlags__EscalateAfter"] = "00:00:08";
        await using var host = new PortalProcess("crash-escalation", "Production", _db.ConnectionString, _mail, settings);
        await host.StartAsync();
        using var api = new PortalApi(host.BaseAddress);
        var support = await api.SignInAsync(PortalProcess.SupportEmail);
        var provider = await api.NewProviderAsync(support, "flag");
        var client = await api.NewClientAsync(provider, _mail, "f0");
        await api.ExpectAsync(HttpMethod.Post, "/api/portal/assessments/phq9", new { answers = new[] { 0, 0, 0, 0, 0, 0, 0, 0, 2 } },
            client.Cookie, HttpStatusCode.Created);
        await ReliabilityRun.WaitUntilAsync(async () => await _db.ScheduledAsync("EscalateSafetyFlag") == 1, TimeSpan.FromSeconds(10),
            async () => $"escalation timers scheduled {await _db.ScheduledAsync("EscalateSafetyFlag")}");

        // Killed before the timer is due: the timer is a row in PostgreSQL, and the host started again fires it.
        host.Kill();
        EscalationEmails(provider).ShouldBeEmpty();
        await host.StartAsync();
        await ReliabilityRun.WaitUntilAsync(() => Task.FromResult(EscalationEmails(provider).Count >= 1), TimeSpan.FromSeconds(60),
            async () => $"escalation emails {EscalationEmails(provider).Count}, scheduled {await _db.ScheduledAsync("EscalateSafetyFlag")}; " +
                        $"host log:{Environment.NewLine}{host.Tail()}");
        await Task.Delay(TimeSpan.FromSeconds(2)); // a late duplicate would arrive now

        Report($"crash recovery, safety escalation: {EscalationEmails(provider).Count} email(s) after a SIGKILL and restart " +
               $"(restart {host.LastStartTime.TotalSeconds:F1}s)");
        EscalationEmails(provider).Count.ShouldBe(1, "the escalation email was sent once");
        (await _db.ScheduledAsync("EscalateSafetyFlag")).ShouldBe(0);
        (await _db.DeadLettersAsync()).ShouldBe(0);
    }

    private List<MimeKit.MimeMessage> EscalationEmails(ReliabilityPeople.Provider provider) =>
        _mail.To(provider.Email).Where(m => m.Subject == "Reminder: a safety answer needs your attention").ToList();

    private List<string> ProviderMessageIds(ReliabilityPeople.Provider provider) =>
        _mail.To(provider.Email).Select(m => m.MessageId ?? "(none)").ToList();

    /// <summary>
    /// What the database says happened: every insurance change (each one emails the provider, with an id we cannot
    /// derive here, so it is counted) and every assignment (completed ones email the provider with a Message-ID derived
    /// from the assignment id, so they are named exactly).
    /// </summary>
    private async Task<Expected> ExpectedAsync(PortalApi api, ReliabilityPeople.Provider provider, Guid[] clientIds)
    {
        var changes = await _db.CountAsync(
            "select count(*) from events.mt_events where stream_id = any(@ids) and type in ('plan_added', 'plan_updated')", ("ids", clientIds));
        var assignments = new List<(Guid Id, string Status)>();
        foreach (var clientId in clientIds)
        {
            var list = await api.EventuallyAsync(HttpMethod.Get, $"/api/clients/{clientId}/assignments", null, provider.Cookie, HttpStatusCode.OK);
            assignments.AddRange(list!.AsArray().Select(a => (a!["id"]!.GetValue<Guid>(), a["status"]!.GetValue<string>())));
        }
        var completed = assignments.Where(a => a.Status == "Completed").Select(a => a.Id).ToList();
        var ids = completed
            .Select(id => $"{DeterministicId.From("provider", NotificationKind.AssignmentCompleted, id, provider.ProviderId):N}@{MessageIdDomain}")
            .ToList();
        return new Expected((int)changes, assignments.Select(a => a.Id).ToHashSet(), assignments.Count(a => a.Status != "Completed"), ids);
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "reliability");
        Directory.CreateDirectory(folder);
        File.AppendAllText(Path.Combine(folder, "figures.txt"), $"{DateTimeOffset.UtcNow:O} {line}{Environment.NewLine}");
    }

    private sealed record Expected(int InsuranceChanges, HashSet<Guid> AssignmentIds, int RunningAssignments, List<string> AssignmentMessageIds)
    {
        public int Emails => InsuranceChanges + AssignmentMessageIds.Count;
    }

    /// <summary>The load: each client saves their primary plan again and again; the provider asks clients for their insurance.</summary>
    private sealed class Load(
        PortalApi api, List<ReliabilityPeople.Client> clients, ReliabilityPeople.Provider provider, ConcurrentBag<Guid> requested)
    {
        private readonly CancellationTokenSource _stopProvider = new();
        private readonly CancellationTokenSource _stop = new();
        private int _unknown;
        private int _conflicts;

        public ConcurrentBag<(Guid ClientId, string MemberId)> AcknowledgedSaves { get; } = [];
        public ConcurrentBag<Guid> AcknowledgedRequests => requested;
        public ConcurrentQueue<string> Failures { get; } = new();
        public int Unknown => _unknown;
        public int Conflicts => _conflicts;

        public async Task UntilMoreAcknowledgedAsync(int more, TimeSpan timeout)
        {
            var target = AcknowledgedSaves.Count + more;
            var deadline = DateTime.UtcNow + timeout;
            while (AcknowledgedSaves.Count < target)
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"The load made no progress: {AcknowledgedSaves.Count} saves acknowledged, " +
                                               $"failures: {string.Join(" | ", Failures)}");
                await Task.Delay(50);
            }
        }

        /// <summary>
        /// The provider stops asking first; each client then saves twice more before stopping (the first may have been
        /// under way already), so every task asked for has a client action after it (a task asked for right after a save
        /// is completed at once by that save).
        /// </summary>
        public async Task StopAsync(Task providerLoop, List<Task> clientLoops)
        {
            await _stopProvider.CancelAsync();
            await providerLoop;
            var before = clients.ToDictionary(c => c.ClientId, c => AcknowledgedSaves.Count(s => s.ClientId == c.ClientId));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (clients.Any(c => AcknowledgedSaves.Count(s => s.ClientId == c.ClientId) < before[c.ClientId] + 2) && DateTime.UtcNow < deadline)
                await Task.Delay(50);
            await _stop.CancelAsync();
            await Task.WhenAll(clientLoops);
        }

        public async Task ClientAsync(ReliabilityPeople.Client client, int index)
        {
            long? version = 0;
            var n = 0;
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    if (version is null)
                    {
                        using var current = await api.SendAsync(HttpMethod.Get, "/api/insurance", cookie: client.Cookie);
                        if (current.StatusCode != HttpStatusCode.OK)
                        {
                            await Failed(current, "GET /api/insurance");
                            continue;
                        }
                        version = ReliabilityPeople.Version(JsonNode.Parse(await current.Content.ReadAsStringAsync()));
                    }

                    var memberId = $"M{index}X{++n}X{Random.Shared.Next(1_000_000)}";
                    using var response = await api.SendAsync(HttpMethod.Put, "/api/insurance/plans/primary",
                        ReliabilityPeople.Plan(version.Value, memberId), client.Cookie);
                    if (response.IsSuccessStatusCode)
                    {
                        version = ReliabilityPeople.Version(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
                        AcknowledgedSaves.Add((client.ClientId, memberId));
                    }
                    else if (response.StatusCode == HttpStatusCode.Conflict)
                    {
                        // A save cut off by the kill may have committed: read the version again.
                        Interlocked.Increment(ref _conflicts);
                        version = null;
                    }
                    else
                    {
                        version = null;
                        await Failed(response, "PUT /api/insurance/plans/primary");
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // The host died under this request (or is starting again): the outcome is unknown to the client.
                    Interlocked.Increment(ref _unknown);
                    version = null;
                    await Task.Delay(100);
                }
            }
        }

        public async Task ProviderAsync()
        {
            while (!_stopProvider.IsCancellationRequested)
            {
                var client = clients[Random.Shared.Next(clients.Count)];
                try
                {
                    using var response = await api.SendAsync(HttpMethod.Post, $"/api/clients/{client.ClientId}/requests",
                        new { kind = "AddInsurance" },
                        provider.Cookie);
                    if (response.StatusCode == HttpStatusCode.Created)
                        requested.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["assignmentId"]!.GetValue<Guid>());
                    else await Failed(response, "POST /api/clients/{id}/requests");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref _unknown);
                }
                await Task.Delay(150);
            }
        }

        private async Task Failed(HttpResponseMessage response, string what)
        {
            Failures.Enqueue($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(100);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ReliabilityCollection
{
    public const string Name = "reliability";
}

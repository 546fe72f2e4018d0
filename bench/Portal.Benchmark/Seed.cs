using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Benchmark;

internal sealed partial class Bench
{
    private static readonly string[] LastNames =
    [
        "Garcia", "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
        "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
        "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres",
        "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
    ];

    private static readonly string[] FirstNames =
    [
        "Avery", "Jordan", "Riley", "Casey", "Morgan", "Taylor", "Quinn", "Rowan", "Sage", "Emerson", "Harper", "Jamie", "Kai", "Logan",
        "Parker", "Reese", "Skyler", "Alex", "Blake", "Cameron",
    ];

    /// <summary>The workflow the signed-in clients complete, and the one assigned to every client at once.</summary>
    private static object Workflow(string name) => new
    {
        name,
        stages = new object[]
        {
            new { name = "Before the first session", tasks = new object[]
            {
                new { key = "insurance", kind = "AddInsurance", title = "Add your insurance", dueInDays = 5, remindEveryDays = 2, maxReminders = 2 },
                new { key = "phq9", kind = "CompleteAssessment", subjectId = "phq9", title = "Complete the PHQ-9 questionnaire", dueInDays = 5 },
            } },
            new { name = "Payment", tasks = new object[]
            {
                new { key = "autopay", kind = "EnrollInAutopay", title = "Set up autopay", dueInDays = 10 },
            } },
        },
    };

    private Guid _annualReview;

    /// <summary>
    /// Everything through the HTTP API, as support, the provider and the clients would do it: the practice, the
    /// provider, N clients on the roster (16 requests at a time), 32 of them invited, activated from the emailed link
    /// and signed in, and a published intake workflow assigned to those 32.
    /// </summary>
    private async Task SeedAsync()
    {
        var support = await RetryAsync(() => _api.SignInAsync(SupportEmail, Password), "support sign-in");
        var practice = await _api.JsonAsync(HttpMethod.Post, "/api/support/practices", support,
            new { practiceName = "Bench Counseling", providerName = "Dr. Bench Provider", providerEmail = ProviderEmail });
        _providerId = practice.GetProperty("providerId").GetGuid();
        await _api.JsonAsync(HttpMethod.Put, $"/api/support/providers/{_providerId}/portal-access", support, new { enabled = true });
        // The accounts module learns of the provider from a message: a 404 until it has arrived.
        await RetryAsync(
            () => _api.JsonAsync(HttpMethod.Put, $"/api/support/providers/{_providerId}/password", support, new { password = Password }),
            "provider password");
        _provider = await _api.SignInAsync(ProviderEmail, Password);

        var count = options.ClientCount;
        Log($"seeding {count} clients through POST /api/console/clients (16 at a time)");
        var watch = Stopwatch.StartNew();
        var ids = new Guid[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = stop }, async (i, _) =>
        {
            var added = await _api.JsonAsync(HttpMethod.Post, "/api/console/clients", _provider, new
            {
                firstName = FirstNames[i % FirstNames.Length],
                lastName = LastNames[i / FirstNames.Length % LastNames.Length] + (i < options.Concurrency ? "" : $"-{i:D5}"),
                email = ClientEmail(i),
                dateOfBirth = new DateOnly(1960, 1, 1).AddDays(i % 15000),
            });
            ids[i] = added.GetProperty("clientId").GetGuid();
            if ((i + 1) % 1000 == 0) Log($"  {i + 1} clients added");
        });
        _clientIds.AddRange(ids);
        var added = watch.Elapsed;
        var drained = await DrainAsync("roster messages", TimeSpan.FromMinutes(10));
        Log($"{count} clients added in {added.TotalSeconds:F1} s ({count / added.TotalSeconds:F0}/s); " +
            $"every module had its roster copy {drained.TotalSeconds:F1} s later");

        // The signed-in clients: invited by the provider, activated from the emailed link, signed in.
        watch.Restart();
        var signedIn = new BenchClient[options.Concurrency];
        await Parallel.ForAsync(0, options.Concurrency, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stop }, async (i, _) =>
        {
            var email = ClientEmail(i);
            var from = _mail.Count;
            await _api.JsonAsync(HttpMethod.Post, $"/api/console/clients/{ids[i]}/invitation", _provider);
            var invitation = await _mail.WaitForAsync(
                m => m.To.Contains(email) && m.Text.Contains("token=", StringComparison.Ordinal), from, TimeSpan.FromSeconds(60));
            var token = TokenIn(invitation.Text);
            await _api.JsonAsync(HttpMethod.Post, "/api/account/activate", null,
                new { token, dateOfBirth = new DateOnly(1960, 1, 1).AddDays(i % 15000), password = Password });
            var cookie = await _api.SignInAsync(email, Password);
            signedIn[i] = new BenchClient(
                ids[i], email, $"{FirstNames[i % FirstNames.Length]} {LastNames[i / FirstNames.Length % LastNames.Length]}", cookie);
        });
        _signedIn.AddRange(signedIn);
        Log($"{options.Concurrency} clients invited, activated and signed in ({watch.Elapsed.TotalSeconds:F1} s)");

        var intake = await _api.JsonAsync(HttpMethod.Post, "/api/workflows", _provider, Workflow("New client intake"));
        var intakeId = intake.GetProperty("id").GetGuid();
        await _api.JsonAsync(
            HttpMethod.Post, $"/api/workflows/{intakeId}/publish?expectedRevision={intake.GetProperty("revision").GetInt32()}", _provider);
        await _api.JsonAsync(
            HttpMethod.Post, $"/api/workflows/{intakeId}/assignments", _provider, new { clientIds = _signedIn.Select(c => c.ClientId).ToArray() });
        var review = await _api.JsonAsync(HttpMethod.Post, "/api/workflows", _provider, Workflow("Annual review"));
        _annualReview = review.GetProperty("id").GetGuid();
        await _api.JsonAsync(
            HttpMethod.Post, $"/api/workflows/{_annualReview}/publish?expectedRevision={review.GetProperty("revision").GetInt32()}", _provider);
        await DrainAsync("intake assignment", TimeSpan.FromMinutes(2));

        _report["seed"] = new JsonObject
        {
            ["how"] = "all through the HTTP API (no SQL): practice, provider, clients (POST /api/console/clients, 16 in flight), " +
                      "invitation emails caught by the benchmark's SMTP server, activation, sign-in; workflows created, published, assigned",
            ["clients"] = count,
            ["clientsAddedSeconds"] = Math.Round(added.TotalSeconds, 1),
            ["clientsPerSecond"] = Math.Round(count / added.TotalSeconds, 1),
            ["rosterCopiesSettledSeconds"] = Math.Round(drained.TotalSeconds, 1),
            ["signedInClients"] = options.Concurrency,
        };
    }

    private static string ClientEmail(int i) => $"client{i:D5}@bench.portal";

    private static string TokenIn(string text)
    {
        var start = text.IndexOf("token=", StringComparison.Ordinal) + "token=".Length;
        var end = start;
        while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != '&' && text[end] != '"' && text[end] != '>') end++;
        return Uri.UnescapeDataString(text[start..end]);
    }

    private async Task<T> RetryAsync<T>(Func<Task<T>> action, string what)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (InvalidOperationException) when (attempt < 50)
            {
                await Task.Delay(200, stop);
            }
            catch (Exception exception) when (attempt >= 50)
            {
                throw new InvalidOperationException($"{what} kept failing", exception);
            }
        }
    }

    /// <summary>
    /// One definition assigned to every client at once: the batches of 500 (the endpoint's limit per request) go out
    /// 4 at a time. Measured (a) until every request was answered: each answer commits the assignments, their first
    /// tasks' events and the TasksRequested messages (durable inbox rows) together, so every client sees their tasks;
    /// the target. (b) Until every TaskRequested has been handled: the durable inbox is empty and the invitation
    /// emails are at the benchmark's SMTP server.
    /// </summary>
    private async Task AssignToAllAsync(HostProcess host)
    {
        var clients = _clientIds.ToArray();
        Log($"assigning \"Annual review\" to {clients.Length} clients (batches of 500, 4 in flight)");
        await ResetStatementsAsync();
        host.ResetPeak();
        var cpuUntilAccepted = await CpuSplit.StartAsync(host.Pid, Connect);
        var cpuUntilHandled = await CpuSplit.StartAsync(host.Pid, Connect);
        var mailBefore = _mail.Count;
        var watch = Stopwatch.StartNew();
        var latencies = new Latencies();
        var batches = clients.Chunk(500).ToArray();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = stop }, async (batch, _) =>
        {
            var sent = Stopwatch.GetTimestamp();
            await _api.JsonAsync(HttpMethod.Post, $"/api/workflows/{_annualReview}/assignments", _provider, new { clientIds = batch });
            latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
        });
        var accepted = watch.Elapsed;
        var cpuAccepted = cpuUntilAccepted.Stop(accepted.TotalSeconds, clients.Length, "assignment");
        var acceptedPeak = Math.Max(host.PeakKb, host.PeakSampledKb);
        var expected = 2L * (clients.Length + options.Concurrency);
        var requestedEvents = await ScalarAsync("select count(*) from events.mt_events where type = 'assignment_task_requested'");
        if (requestedEvents < expected) Log($"warning: {requestedEvents} AssignmentTaskRequested events, expected {expected}");
        await DrainAsync("task requests", TimeSpan.FromMinutes(15));
        var total = watch.Elapsed;
        var cpuHandled = cpuUntilHandled.Stop(total.TotalSeconds, clients.Length, "assignment");
        var mails = _mail.Since(mailBefore);
        var recipients = mails.SelectMany(m => m.To).Distinct().Count();
        Log($"assigned: first tasks requested (all accepted) after {accepted.TotalSeconds:F1} s; " +
            $"every TaskRequested handled after {total.TotalSeconds:F1} s " +
            $"({mails.Count} emails to {recipients} recipients)");
        _scenarios.Add(latencies.Result(
            $"Assign one workflow to {clients.Length} clients (POST of 500 ids)", accepted.TotalSeconds, "4 requests in flight"));
        _report["statementsAssign"] = await TopStatementsAsync();
        var peak = Math.Max(host.PeakKb, host.PeakSampledKb);
        _report["assignToAll"] = new JsonObject
        {
            ["clients"] = clients.Length,
            ["allAcceptedSeconds"] = Math.Round(accepted.TotalSeconds, 2),
            ["firstTasksRequestedEvents"] = requestedEvents,
            ["everyTaskRequestedHandledSeconds"] = Math.Round(total.TotalSeconds, 2),
            ["emailsHandedToSmtp"] = mails.Count,
            ["emailRecipients"] = recipients,
            ["note"] = "(a) first tasks requested = every POST answered: the assignment streams with their AssignmentTaskRequested events and " +
                       "the TasksRequested messages (durable inbox rows) are committed together, the client sees the tasks; the target. " +
                       "(b) handled = the durable inbox is empty: Invitations and Notifications have acted on every TaskRequested " +
                       "(invitation emails at SMTP)",
            ["cpuUntilAccepted"] = cpuAccepted,
            ["cpuUntilHandled"] = cpuHandled,
            ["hostPeakRssUntilAcceptedMb"] = Mb(acceptedPeak),
            ["hostPeakRssMb"] = Mb(peak),
        };
        AddTarget($"{clients.Length} assignments, first tasks requested", options.ClientCount >= 10_000 ? "≤ 20 s" : "≤ 20 s (at 10,000)",
            $"{accepted.TotalSeconds:F1} s (every TaskRequested handled and emailed: {total.TotalSeconds:F1} s)",
            accepted.TotalSeconds <= 20 * clients.Length / 10_000.0 + 0.001);
        AddTarget("Peak memory of the host while assigning", "≤ 300 MB", $"{Mb(peak)} MB", Mb(peak) <= 300);
    }
}

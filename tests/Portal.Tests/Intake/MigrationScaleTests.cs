using System.Diagnostics;
using System.Globalization;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Intake.Roster;
using Portal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Portal.Tests.Intake;

/// <summary>
/// The largest move one request takes: 1,000 running assignments (ten chunks of 100, each its own session), a dry run
/// then the move. Prints the time of each; the figures in the report were taken with the machine busy.
/// </summary>
public sealed class MigrationScaleTests(PortalFixture fixture, ITestOutputHelper output) : IntakeWorkflowTest(fixture)
{
    [Fact]
    public async Task A_thousand_running_assignments_move_in_one_request_each_with_one_event()
    {
        var provider = await Kit.NewProviderAsync();
        // Intake's roster copy of 1,000 clients, written directly: the roster's own path is tested elsewhere and would
        // take minutes here.
        var clients = Enumerable.Range(0, 1_000).Select(i => new IntakeClient
        {
            Id = Guid.CreateVersion7(), ProviderId = provider.ProviderId, PracticeId = provider.PracticeId, PracticeName = provider.PracticeName,
            FirstName = "Client", LastName = i.ToString(CultureInfo.InvariantCulture), Email = $"c{i}@portal.test", Eligible = true,
            Version = 1,
        }).ToList();
        await Host.Services.GetRequiredService<IDocumentStore>().BulkInsertAsync(clients);

        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Intake",
        [
            new StageSpec("First", [Task("insurance", TaskKind.AddInsurance), Task("autopay", TaskKind.EnrollInAutopay)]),
        ]));
        await PublishAsync(provider, workflowId);
        foreach (var chunk in clients.Chunk(500)) await AssignAsync(provider, workflowId, [.. chunk.Select(c => c.Id)]);

        var revision = await RevisionAsync(provider, workflowId);
        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Put.Json(new WorkflowContent("Intake",
                [
                    new StageSpec("First", [Task("insurance", TaskKind.AddInsurance), Task("phq9", TaskKind.CompleteAssessment, "phq9")]),
                ]))
                .ToUrl($"/api/workflows/{workflowId}/draft").QueryString("expectedRevision", revision.ToString(CultureInfo.InvariantCulture));
            s.StatusCodeShouldBeOk();
        });
        await PublishAsync(provider, workflowId);

        var dryRun = Stopwatch.StartNew();
        var planned = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { toVersion = 2, fromVersion = 1, dryRun = true }, $"/api/workflows/{workflowId}/migrations");
            s.StatusCodeShouldBeOk();
        });
        dryRun.Stop();
        (await IntakeTestKit.ReadJsonAsync(planned)).GetProperty("moved").GetInt32().ShouldBe(1_000);

        var move = Stopwatch.StartNew();
        var (_, result) = await TrackedScenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { toVersion = 2, fromVersion = 1 }, $"/api/workflows/{workflowId}/migrations");
            s.StatusCodeShouldBeOk();
        }, TimeSpan.FromMinutes(5));
        move.Stop();
        // The endpoint logs the time of the move itself (every chunk committed), without the messages it sent.
        var logged = Logs.Lines.LastOrDefault(l => l.Contains($"Workflow {workflowId}: moved", StringComparison.Ordinal));
        output.WriteLine($"1,000 assignments: dry run {dryRun.ElapsedMilliseconds} ms; move with every message handled " +
                         $"{move.ElapsedMilliseconds} ms; {logged}");
        var json = await IntakeTestKit.ReadJsonAsync(result);
        json.GetProperty("moved").GetInt32().ShouldBe(1_000);
        json.GetProperty("refused").GetInt32().ShouldBe(0);

        await using var session = OpenSession();
        var moved = await session.Events.QueryRawEventDataOnly<AssignmentMigrated>().CountAsync();
        moved.ShouldBe(1_000, "one event per stream");
        (await session.Query<IntakeAssignment>().CountAsync(a => a.DefinitionVersion == 2 && a.Status == AssignmentStatus.Running))
            .ShouldBe(1_000);
    }
}

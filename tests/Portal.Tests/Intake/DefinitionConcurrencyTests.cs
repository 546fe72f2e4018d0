using System.Text.Json;
using Alba;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

public sealed class DefinitionConcurrencyTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    [Fact]
    public async Task A_save_or_publish_from_a_stale_revision_is_refused_with_409_and_the_newer_draft_is_kept()
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await CreateWorkflowAsync(provider,
            new WorkflowContent("Intake", [new StageSpec("Money", [Task("insurance", TaskKind.AddInsurance)])]));
        var loaded = await RevisionAsync(provider, workflowId);
        loaded.ShouldBe(1);

        // Two editors loaded revision 1. The first saves: revision 2.
        var first = await SaveDraftAsync(provider, workflowId, loaded,
            new WorkflowContent("Intake",
                [new StageSpec("Money", [Task("insurance", TaskKind.AddInsurance), Task("autopay", TaskKind.EnrollInAutopay)])]),
            200);
        first.GetProperty("revision").GetInt32().ShouldBe(2);

        // The second, still on revision 1, is refused and told the current revision.
        var stale = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Put.Json(new WorkflowContent("Intake (mine)", [new StageSpec("Mood", [Task("gad7", TaskKind.CompleteAssessment, "gad7")])]))
                .ToUrl($"/api/workflows/{workflowId}/draft")
                .QueryString("expectedRevision", loaded.ToString(System.Globalization.CultureInfo.InvariantCulture));
            s.StatusCodeShouldBe(409);
            s.ContentTypeShouldBe("application/problem+json");
        });
        var problem = await IntakeTestKit.ReadJsonAsync(stale);
        problem.GetProperty("title").GetString().ShouldBe("The workflow was changed elsewhere.");
        problem.GetProperty("currentRevision").GetInt32().ShouldBe(2);

        // Publishing what the second editor reviewed (revision 1) is refused too: nothing is published.
        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Post.Url($"/api/workflows/{workflowId}/publish?expectedRevision={loaded}");
            s.StatusCodeShouldBe(409);
            s.ContentTypeShouldBe("application/problem+json");
        });

        var now = await GetAsync(provider, workflowId);
        now.GetProperty("revision").GetInt32().ShouldBe(2);
        now.GetProperty("latestStatus").GetString().ShouldBe("Draft");
        now.GetProperty("publishedVersion").ValueKind.ShouldBe(JsonValueKind.Null);
        var latest = JsonSerializer.Deserialize<WorkflowContent>(now.GetProperty("latest").GetRawText(), IntakeTestKit.Json)!;
        latest.Name.ShouldBe("Intake");
        latest.Stages.ShouldHaveSingleItem().Tasks.Select(t => t.Key).ShouldBe(["insurance", "autopay"]);

        // With the current revision, publishing works and moves the revision on.
        var published = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Post.Url($"/api/workflows/{workflowId}/publish?expectedRevision=2");
            s.StatusCodeShouldBeOk();
        });
        var view = await IntakeTestKit.ReadJsonAsync(published);
        view.GetProperty("publishedVersion").GetInt32().ShouldBe(1);
        view.GetProperty("revision").GetInt32().ShouldBe(3);
    }

    [Fact]
    public async Task A_save_without_the_expected_revision_is_a_400_naming_it_and_changes_nothing()
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await CreateWorkflowAsync(provider,
            new WorkflowContent("Intake", [new StageSpec("Money", [Task("insurance", TaskKind.AddInsurance)])]));

        var refused = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PutJsonTo(new WorkflowContent("Renamed", [new StageSpec("Money", [Task("insurance", TaskKind.AddInsurance)])]),
                $"/api/workflows/{workflowId}/draft");
            s.StatusCodeShouldBe(400);
        });
        (await IntakeTestKit.ReadJsonAsync(refused)).GetProperty("errors").TryGetProperty("expectedRevision", out _).ShouldBeTrue();
        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Post.Url($"/api/workflows/{workflowId}/publish");
            s.StatusCodeShouldBe(400);
        });

        var now = await GetAsync(provider, workflowId);
        now.GetProperty("name").GetString().ShouldBe("Intake");
        now.GetProperty("revision").GetInt32().ShouldBe(1);
        now.GetProperty("latestStatus").GetString().ShouldBe("Draft");
    }

    private async Task<JsonElement> SaveDraftAsync(ProviderActor provider, Guid workflowId, int expectedRevision, WorkflowContent content, int status)
    {
        var result = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Put.Json(content).ToUrl($"/api/workflows/{workflowId}/draft")
                .QueryString("expectedRevision", expectedRevision.ToString(System.Globalization.CultureInfo.InvariantCulture));
            s.StatusCodeShouldBe(status);
        });
        return await IntakeTestKit.ReadJsonAsync(result);
    }

    private async Task<JsonElement> GetAsync(ProviderActor provider, Guid workflowId) =>
        await IntakeTestKit.ReadJsonAsync(await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Get.Url($"/api/workflows/{workflowId}");
            s.StatusCodeShouldBeOk();
        }));
}

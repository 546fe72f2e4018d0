using System.Text.Json;
using Alba;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

/// <summary>
/// The practice library (#30 item 6): a workflow is its author's; the owner shares a published one with the practice,
/// whose clinicians then see, assign and copy it (but do not change it); other practices never see it.
/// </summary>
public sealed class WorkflowLibraryTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    [Fact]
    public async Task A_clinician_sees_a_colleagues_workflow_only_once_the_owner_puts_it_in_the_library_and_then_assigns_and_copies_it()
    {
        var owner = await Kit.NewProviderAsync();
        var author = await Host.NewMemberAsync(owner, StaffRole.Clinician, name: "Ada Author");
        var colleague = await Host.NewMemberAsync(owner, StaffRole.Clinician, name: "Cole Colleague");
        var frontDesk = await Host.NewMemberAsync(owner, StaffRole.FrontDesk);
        var colleaguesClient = await Kit.NewClientAsync(colleague, "Cora");
        var workflowId = await CreateWorkflowAsync(author, Content("Ada's intake"));
        await PublishAsync(author, workflowId);

        // Not shared: the colleague is told it does not exist; the owner and the front desk see the practice's.
        (await ListedAsync(colleague)).ShouldNotContain(workflowId);
        await SendAsync(colleague, HttpMethod.Get, $"/api/workflows/{workflowId}", null, 404);
        await SendAsync(colleague, HttpMethod.Post, $"/api/workflows/{workflowId}/assignments", new { clientIds = new[] { colleaguesClient } }, 404);
        await SendAsync(colleague, HttpMethod.Post, $"/api/workflows/{workflowId}/copy", null, 404);
        (await ListedAsync(owner)).ShouldContain(workflowId);
        (await ListedAsync(frontDesk)).ShouldContain(workflowId);

        // Only the owner shares.
        await SendAsync(author, HttpMethod.Post, $"/api/workflows/{workflowId}/library", null, 403);
        var shared = await SendAsync(owner, HttpMethod.Post, $"/api/workflows/{workflowId}/library", null, 200);
        shared.GetProperty("inLibrary").GetBoolean().ShouldBeTrue();

        (await ListedAsync(colleague)).ShouldContain(workflowId);
        await SendAsync(colleague, HttpMethod.Get, $"/api/workflows/{workflowId}", null, 200);
        await SendAsync(colleague, HttpMethod.Post, $"/api/workflows/{workflowId}/assignments", new { clientIds = new[] { colleaguesClient } }, 200);

        // Seen is not changed: the colleague copies it and edits the copy.
        var revision = await RevisionAsync(author, workflowId);
        await SendAsync(colleague, HttpMethod.Put, $"/api/workflows/{workflowId}/draft?expectedRevision={revision}", Content("Mine now"), 403);
        await SendAsync(colleague, HttpMethod.Post, $"/api/workflows/{workflowId}/publish?expectedRevision={revision}", null, 403);
        var copy = await SendAsync(colleague, HttpMethod.Post, $"/api/workflows/{workflowId}/copy", null, 201);
        var copyId = copy.GetProperty("id").GetGuid();
        copyId.ShouldNotBe(workflowId);
        copy.GetProperty("name").GetString().ShouldBe("Ada's intake (copy)");
        copy.GetProperty("latestStatus").GetString().ShouldBe("Draft");
        copy.GetProperty("authorId").GetGuid().ShouldBe(colleague.ProviderId);
        copy.GetProperty("inLibrary").GetBoolean().ShouldBeFalse();
        copy.GetProperty("latest").GetProperty("stages")[0].GetProperty("tasks")[0].GetProperty("key").GetString().ShouldBe("insurance");
        await SendAsync(colleague, HttpMethod.Put, $"/api/workflows/{copyId}/draft?expectedRevision={await RevisionAsync(colleague, copyId)}",
            Content("Cole's intake"), 200);
        await PublishAsync(colleague, copyId);
        (await ListedAsync(author)).ShouldNotContain(copyId);
        (await SendAsync(author, HttpMethod.Get, $"/api/workflows/{workflowId}", null, 200)).GetProperty("name").GetString().ShouldBe("Ada's intake");

        // Taken out of the library, it is its author's again.
        await SendAsync(owner, HttpMethod.Delete, $"/api/workflows/{workflowId}/library", null, 200);
        await SendAsync(colleague, HttpMethod.Get, $"/api/workflows/{workflowId}", null, 404);
        await SendAsync(author, HttpMethod.Get, $"/api/workflows/{workflowId}", null, 200);
    }

    [Fact]
    public async Task Another_practice_never_sees_a_library_workflow()
    {
        var owner = await Kit.NewProviderAsync();
        var workflowId = await CreateWorkflowAsync(owner, Content("Shared intake"));
        await PublishAsync(owner, workflowId);
        await SendAsync(owner, HttpMethod.Post, $"/api/workflows/{workflowId}/library", null, 200);

        var stranger = await Kit.NewProviderAsync();
        (await ListedAsync(stranger)).ShouldNotContain(workflowId);
        await SendAsync(stranger, HttpMethod.Get, $"/api/workflows/{workflowId}", null, 404);
        await SendAsync(stranger, HttpMethod.Post, $"/api/workflows/{workflowId}/copy", null, 404);
        await SendAsync(stranger, HttpMethod.Post, $"/api/workflows/{workflowId}/library", null, 404);
        await SendAsync(stranger, HttpMethod.Delete, $"/api/workflows/{workflowId}/library", null, 404);
        await SendAsync(stranger, HttpMethod.Get, $"/api/workflows/{workflowId}/versions/1/diagram.svg", null, 404);
    }

    [Fact]
    public async Task Only_a_published_workflow_goes_into_the_library()
    {
        var owner = await Kit.NewProviderAsync();
        var workflowId = await CreateWorkflowAsync(owner, Content("Draft only"));
        var refused = await SendAsync(owner, HttpMethod.Post, $"/api/workflows/{workflowId}/library", null, 409);
        refused.GetProperty("title").GetString().ShouldBe("The workflow is not published.");
        (await SendAsync(owner, HttpMethod.Get, $"/api/workflows/{workflowId}", null, 200)).GetProperty("inLibrary").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task The_builder_page_does_not_let_a_clinician_change_a_library_workflow_they_did_not_write()
    {
        var owner = await Kit.NewProviderAsync();
        var author = await Host.NewMemberAsync(owner, StaffRole.Clinician, name: "Ada Author");
        var colleague = await Host.NewMemberAsync(owner, StaffRole.Clinician, name: "Cole Colleague");
        var workflowId = await CreateWorkflowAsync(author, Content("Ada's intake"));
        await PublishAsync(author, workflowId);
        await SendAsync(owner, HttpMethod.Post, $"/api/workflows/{workflowId}/library", null, 200);

        var page = await Host.OpenPageAsync(colleague, $"/console/workflows/{workflowId}");
        var revision = await RevisionAsync(author, workflowId);
        var rename = await Host.Scenario(s => s.PostForm(colleague, page, $"/console/workflows/{workflowId}", "Rename",
            new Dictionary<string, string> { ["name"] = "Renamed by a colleague", ["Revision"] = $"{revision}" }));
        rename.Context.Response.StatusCode.ShouldBe(403);

        // The author changes it on the same page as before.
        var own = await Host.OpenPageAsync(author, $"/console/workflows/{workflowId}");
        var renamed = await Host.Scenario(s => s.PostForm(author, own, $"/console/workflows/{workflowId}", "Rename",
            new Dictionary<string, string> { ["name"] = "Ada's renamed intake", ["Revision"] = $"{revision}" }));
        renamed.Context.Response.StatusCode.ShouldBe(302);
        (await SendAsync(author, HttpMethod.Get, $"/api/workflows/{workflowId}", null, 200)).GetProperty("name").GetString()
            .ShouldBe("Ada's renamed intake");
    }

    private static WorkflowContent Content(string name) =>
        new(name, [new StageSpec("Money", [Task("insurance", TaskKind.AddInsurance)])]);

    private async Task<IReadOnlyList<Guid>> ListedAsync(ProviderActor member) =>
        [.. (await SendAsync(member, HttpMethod.Get, "/api/workflows", null, 200)).EnumerateArray().Select(w => w.GetProperty("id").GetGuid())];

    private async Task<JsonElement> SendAsync(ProviderActor actor, HttpMethod method, string url, object? body, int status)
    {
        var (_, result) = await TrackedScenario(s =>
        {
            s.SignedIn(actor.Cookie);
            if (method == HttpMethod.Get) s.Get.Url(url);
            else if (method == HttpMethod.Delete) s.Delete.Url(url);
            else if (method == HttpMethod.Put)
            {
                // A JSON body's URL takes its query apart (ToUrl would send "?" as part of the path).
                var parts = url.Split('?', 2);
                var send = s.Put.Json(body!).ToUrl(parts[0]);
                foreach (var pair in parts.Length == 2 ? parts[1].Split('&') : [])
                    send.QueryString(pair.Split('=')[0], pair.Split('=')[1]);
            }
            else if (body is null) s.Post.Url(url);
            else s.Post.Json(body).ToUrl(url);
            s.StatusCodeShouldBe(status);
        });
        var text = await result.ReadAsTextAsync();
        return text.Length == 0 || !text.TrimStart().StartsWith('{') && !text.TrimStart().StartsWith('[')
            ? default
            : JsonDocument.Parse(text).RootElement.Clone();
    }
}

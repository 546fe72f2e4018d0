using Alba;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

public sealed class AssignmentCompletedEmailTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    [Fact]
    public async Task When_the_client_signs_the_last_document_of_a_workflow_the_provider_gets_an_assignment_completed_email()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Casey", "Client");

        // The provider writes and publishes a policy (Forms tells Intake's catalog about it).
        var saved = await Json<SavedDocument>(provider, HttpMethod.Post, "/api/documents",
            new { title = "Practice policies", markdown = "We start sessions on time." }, 201);
        await TrackedScenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { revision = saved.Revision, requireExistingSignersToSignAgain = false })
                .ToUrl($"/api/documents/{saved.DocumentId}/publish");
            s.StatusCodeShouldBeOk();
        });
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Welcome",
            [new StageSpec("Paperwork", [Task("policies", TaskKind.SignDocument, saved.DocumentId.ToString())])]));
        await PublishAsync(provider, workflowId);
        var (_, ids) = await AssignAsync(provider, workflowId, client.ClientId);
        Mail.Clear();

        // The client signs through the Forms API: Forms publishes ConsentFormSigned, Intake completes the task and the
        // assignment and publishes AssignmentCompleted, Notifications emails the provider.
        var shown = await Json<ShownDocument>(client, HttpMethod.Get, $"/api/portal/documents/{saved.DocumentId}", null, 200);
        var (tracked, _) = await TrackedScenario(s =>
        {
            s.As(client);
            s.Post.Json(new { version = shown.Version, contentHash = shown.ContentHash, fullName = "Casey Client", agreeToSignElectronically = true })
                .ToUrl($"/api/portal/documents/{saved.DocumentId}/signatures");
            s.StatusCodeShouldBe(201);
        });

        var completed = tracked.Published<AssignmentCompleted>().ShouldHaveSingleItem();
        completed.AssignmentId.ShouldBe(ids.ShouldHaveSingleItem());
        completed.ProviderId.ShouldBe(provider.ProviderId);
        var email = Mail.To(provider.Email).Where(m => m.Subject?.Contains("completed every task") == true).ShouldHaveSingleItem();
        email.Subject.ShouldBe("Casey C. completed every task of \u201cWelcome\u201d");
        email.TextBody!.ShouldContain($"/console/clients/{client.ClientId}");
    }

    private async Task<T> Json<T>(ISignedIn actor, HttpMethod method, string url, object? body, int status)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(actor);
            if (method == HttpMethod.Get) s.Get.Url(url);
            else s.Post.Json(body ?? new { }).ToUrl(url);
            s.StatusCodeShouldBe(status);
        });
        return (await result.ReadAsJsonAsync<T>())!;
    }

    private sealed record SavedDocument(Guid DocumentId, int Revision);

    private sealed record ShownDocument(Guid DocumentId, int Version, string ContentHash);
}

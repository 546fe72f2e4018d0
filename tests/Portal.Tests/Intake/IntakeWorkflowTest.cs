using System.Text.Json;
using Alba;
using Portal.Contracts;
using Portal.Intake.Definitions;

namespace Portal.Tests.Intake;

/// <summary>Base for intake tests: the kit, and the API calls most tests make.</summary>
public abstract class IntakeWorkflowTest(PortalFixture fixture) : PortalTest(fixture)
{
    private IntakeTestKit? kit;

    internal IntakeTestKit Kit => kit ??= new IntakeTestKit(Host, Clock);

    internal async Task<Guid> CreateWorkflowAsync(ProviderActor provider, WorkflowContent content)
    {
        var result = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(content, "/api/workflows");
            s.StatusCodeShouldBe(201);
        });
        return (await IntakeTestKit.ReadJsonAsync(result)).GetProperty("id").GetGuid();
    }

    internal async Task PublishAsync(ProviderActor provider, Guid workflowId)
    {
        var revision = await RevisionAsync(provider, workflowId);
        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Post.Url($"/api/workflows/{workflowId}/publish?expectedRevision={revision}");
            s.StatusCodeShouldBeOk();
        });
    }

    /// <summary>The definition's current revision, as an editor loading it sees it.</summary>
    internal async Task<int> RevisionAsync(ProviderActor provider, Guid workflowId)
    {
        var result = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Get.Url($"/api/workflows/{workflowId}");
            s.StatusCodeShouldBeOk();
        });
        return (await IntakeTestKit.ReadJsonAsync(result)).GetProperty("revision").GetInt32();
    }

    /// <summary>Assigns the workflow to the clients and waits for every message the assignment caused.</summary>
    internal async Task<(Wolverine.Tracking.ITrackedSession Tracked, Guid[] AssignmentIds)> AssignAsync(
        ProviderActor provider, Guid workflowId, params Guid[] clientIds)
    {
        var (tracked, result) = await TrackedScenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { clientIds }, $"/api/workflows/{workflowId}/assignments");
            s.StatusCodeShouldBeOk();
        });
        var json = await IntakeTestKit.ReadJsonAsync(result);
        return (tracked, [.. json.GetProperty("assignments").EnumerateArray().Select(a => a.GetProperty("assignmentId").GetGuid())]);
    }

    internal static IReadOnlyList<string> Names(IEnumerable<object> events) => [.. events.Select(e => e.GetType().Name)];

    internal static TaskSpec Task(string key, TaskKind kind, string? subject = null, TaskCondition? condition = null,
        int? dueInDays = null, int? remindEveryDays = null, int maxReminders = 0) =>
        new(key, kind, subject, null, dueInDays, remindEveryDays, maxReminders, condition);

    internal static ActorLike ClientActor(Guid clientId) => new(clientId);

    internal sealed record ActorLike(Guid ClientId)
    {
        public Actor Actor => new(ActorKind.Client, ClientId, "Ana Client");
    }

    internal static JsonElement Prop(JsonElement element, string name) => element.GetProperty(name);
}

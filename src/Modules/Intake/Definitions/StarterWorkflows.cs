using System.Text.Json;
using Portal.BuildingBlocks.Auditing;
using Portal.Intake.Catalog;

namespace Portal.Intake.Definitions;

/// <summary>A workflow ready to copy: its key in the URL, what it is for, and its content (a v2 export).</summary>
internal sealed record StarterWorkflow(string Key, string Summary, WorkflowContent Content);

internal sealed record StarterView(string Key, string Name, string Summary, int Stages, int Tasks, WorkflowContent Content);

/// <summary>
/// Three starters shipped with the portal (<c>Starters/*.json</c>, the v2 export format): adult individual intake, a
/// minor with a guardian, couples. A copy is a draft of the caller's own; its documents and forms are the practice's
/// catalog items whose titles match the task's words, or left for the provider to choose (publishing checks them).
/// </summary>
internal static class StarterWorkflows
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly (string Key, string Summary)[] Shipped =
    [
        ("adult-individual", "An adult's first weeks: consent, policies and intake questionnaire; insurance and autopay; " +
                             "a PHQ-9, and a GAD-7 when the PHQ-9 score is 10 or more."),
        ("minor-with-guardian", "A minor's intake completed by a parent or guardian: guardian consent, policies, the " +
                                "guardian's questionnaire, the family's insurance and autopay, a PHQ-9."),
        ("couples", "Both partners, each assigned on their own record: couples consent, policies, the relationship " +
                    "questionnaire, autopay, a PHQ-9 and a GAD-7."),
    ];

    public static readonly IReadOnlyList<StarterWorkflow> All = [.. Shipped.Select(s => new StarterWorkflow(s.Key, s.Summary, Read(s.Key)))];

    public static StarterWorkflow? Find(string key) => All.FirstOrDefault(s => s.Key == key);

    private static WorkflowContent Read(string key)
    {
        var assembly = typeof(StarterWorkflows).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith($".Starters.{key}.json", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        return JsonSerializer.Deserialize<WorkflowContent>(stream, Json)
               ?? throw new InvalidOperationException($"The starter workflow {key} is empty.");
    }

    /// <summary>
    /// Fills each document and form task with the practice's catalog item sharing the most words with the task's title
    /// ("Sign the consent for treatment" takes "Consent for treatment"), each item once; no match leaves it empty.
    /// </summary>
    public static WorkflowContent ForPractice(WorkflowContent content, IReadOnlyList<CatalogItem> catalog)
    {
        var used = new HashSet<Guid>();
        return content with
        {
            Format = null,
            Stages =
            [
                .. content.Stages.Select(stage => stage with
                {
                    Tasks = [.. (stage.Tasks ?? []).Select(Fill)],
                    Tracks = stage.Tracks is null ? null : [.. stage.Tracks.Select(track => track with { Tasks = [.. track.Tasks.Select(Fill)] })],
                }),
            ],
        };

        TaskSpec Fill(TaskSpec task)
        {
            var kind = task.Kind switch
            {
                TaskKind.SignDocument => CatalogItem.DocumentKind,
                TaskKind.CompleteIntakeForm => CatalogItem.FormKind,
                _ => null,
            };
            if (kind is null || !string.IsNullOrEmpty(task.SubjectId)) return task;
            var wanted = Words(task.Title ?? task.Key);
            var best = catalog.Where(i => i.Kind == kind && !used.Contains(i.Id))
                .Select(i => (Item: i, Shared: Words(i.Title).Count(wanted.Contains)))
                .Where(c => c.Shared > 0)
                .OrderByDescending(c => c.Shared).ThenBy(c => c.Item.Title, StringComparer.Ordinal)
                .FirstOrDefault();
            if (best.Item is null) return task;
            used.Add(best.Item.Id);
            return task with { SubjectId = best.Item.Id.ToString() };
        }
    }

    private static readonly HashSet<string> Ignored = ["sign", "read", "your", "with", "complete", "each", "their", "from", "the", "and", "for"];

    private static HashSet<string> Words(string text) =>
        [.. text.ToLowerInvariant().Split([' ', '-', '(', ')', ',', '.', ':', '\''], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length >= 4 && !Ignored.Contains(w))];

    public static StarterView View(StarterWorkflow starter) => new(starter.Key, starter.Content.Name, starter.Summary,
        starter.Content.Stages.Count, starter.Content.AllTasks().Count(), starter.Content);
}

/// <summary><c>GET /api/workflows/starters</c>: the starter workflows a provider may copy.</summary>
public static class GetStarterWorkflowsEndpoint
{
    [WolverineGet("/api/workflows/starters"), Authorize(Policy = PortalPolicies.Provider)]
    public static IResult Get() => Results.Ok(StarterWorkflows.All.Select(StarterWorkflows.View));
}

/// <summary>
/// <c>POST /api/workflows/starters/{key}/copy</c>: a starter becomes a new draft of the caller's, with the practice's
/// documents and forms where they match; the provider picks the rest, and publishing checks every subject.
/// </summary>
public static class CopyStarterWorkflowEndpoint
{
    [WolverinePost("/api/workflows/starters/{key}/copy"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Post(string key, HttpContext http, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation) =>
        (await CopyAsync(key, http, session, clock, cancellation))
            .ToResult(http, copy => Results.Created($"/api/workflows/{copy.Id}", DefinitionView.From(copy)));

    /// <summary>The starter's copy, stored and audited (the API and the workflows page), or 404 for an unknown key.</summary>
    internal static async Task<Outcome<WorkflowDefinition>> CopyAsync(string key, HttpContext http, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        if (StarterWorkflows.Find(key) is not { } starter)
            return new Refusal(StatusCodes.Status404NotFound, "No such starter workflow.",
                $"There is no starter '{key}'; GET /api/workflows/starters lists them.");
        var user = CurrentUser.From(http.User)!;
        var practiceId = user.PracticeId!.Value;
        var catalog = await WorkflowBuilder.CatalogAsync(session, practiceId, cancellation);
        var definition = CreateWorkflowEndpoint.Create(StarterWorkflows.ForPractice(starter.Content, catalog),
            user.ProviderId!.Value, practiceId, clock.GetUtcNow());
        session.Store(definition);
        Audit.Record(session, http, clock, "intake.workflow.copy", nameof(WorkflowDefinition), definition.Id.ToString(),
            outcome: $"starter:{starter.Key}");
        return definition;
    }
}

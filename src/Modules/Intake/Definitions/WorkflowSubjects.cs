using Portal.Contracts;
using Portal.Intake.Catalog;

namespace Portal.Intake.Definitions;

/// <summary>
/// Checks that the documents, forms and instruments a workflow names exist in the provider's practice, and names
/// tasks for clients. Static over the session so that public endpoints can call it without exposing a service type.
/// </summary>
internal static class WorkflowSubjects
{
    public static async Task<Dictionary<string, string[]>> FindUnknownAsync(
        IQuerySession session, WorkflowContent content, Guid practiceId, CancellationToken cancellation)
    {
        var errors = new Dictionary<string, string[]>();
        var ids = content.AllTasks()
            .Where(t => t.Kind is TaskKind.SignDocument or TaskKind.CompleteIntakeForm)
            .Select(t => Guid.Parse(t.SubjectId!))
            .Distinct()
            .ToArray();
        var items = ids.Length == 0
            ? new Dictionary<Guid, CatalogItem>()
            : (await session.LoadManyAsync<CatalogItem>(cancellation, ids))
                .Where(i => i.PracticeId == practiceId && !i.Withdrawn)
                .ToDictionary(i => i.Id);
        var tasksByKey = content.AllTasks().DistinctBy(t => t.Key).ToDictionary(t => t.Key);

        foreach (var place in content.Places())
        {
            var task = place.Task;
            var path = JsonPath(place.Path);
            switch (task.Kind)
            {
                case TaskKind.SignDocument when !items.TryGetValue(Guid.Parse(task.SubjectId!), out var doc) || doc.Kind != CatalogItem.DocumentKind:
                    errors[$"{path}.subjectId"] = [$"No published document {task.SubjectId} in your practice."];
                    break;
                case TaskKind.CompleteIntakeForm
                    when !items.TryGetValue(Guid.Parse(task.SubjectId!), out var form) || form.Kind != CatalogItem.FormKind:
                    errors[$"{path}.subjectId"] = [$"No published intake form {task.SubjectId} in your practice."];
                    break;
                case TaskKind.CompleteAssessment when !Instruments.BuiltIn.ContainsKey(task.SubjectId!):
                    errors[$"{path}.subjectId"] = [$"Unknown assessment '{task.SubjectId}'; known: {string.Join(", ", Instruments.BuiltIn.Keys)}."];
                    break;
            }

            if (task.Condition is { } condition) CheckField(condition, $"{path}.condition.field");
            if (task.When is { } when)
                foreach (var (condition2, conditionPath) in ConditionPaths(when, $"{path}.when"))
                    CheckField(condition2, $"{conditionPath}.field");
        }

        return errors;

        void CheckField(TaskCondition condition, string fieldPath)
        {
            if (condition is { Field: { Length: > 0 } field, TaskKey: { } key }
                && tasksByKey.GetValueOrDefault(key) is { Kind: TaskKind.CompleteIntakeForm } source
                && items.TryGetValue(Guid.Parse(source.SubjectId!), out var sourceForm)
                && sourceForm.Kind == CatalogItem.FormKind
                && sourceForm.FieldKeys.Count > 0
                && !sourceForm.FieldKeys.Contains(field))
                errors[fieldPath] = [$"The form '{sourceForm.Title}' has no field '{field}'."];
        }
    }

    /// <summary>"Stages[1].Tracks[0].Tasks[2]" as the JSON names it: "stages[1].tracks[0].tasks[2]".</summary>
    internal static string JsonPath(string path) =>
        string.Join('.', path.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));

    /// <summary>Each condition of a group with its JSON path ("….when.conditions[0]", "….when.groups[1].conditions[0]").</summary>
    internal static IEnumerable<(TaskCondition Condition, string Path)> ConditionPaths(ConditionGroup group, string path)
    {
        var conditions = group.Conditions ?? [];
        for (var c = 0; c < conditions.Count; c++)
            if (conditions[c] is { } condition) yield return (condition, $"{path}.conditions[{c}]");
        var groups = group.Groups ?? [];
        for (var g = 0; g < groups.Count; g++)
            if (groups[g] is { } nested)
                foreach (var pair in ConditionPaths(nested, $"{path}.groups[{g}]")) yield return pair;
    }

    public static async Task<string> TitleForAsync(IQuerySession session, TaskSpec task, CancellationToken cancellation)
    {
        var item = task.Kind is TaskKind.SignDocument or TaskKind.CompleteIntakeForm && string.IsNullOrWhiteSpace(task.Title)
                   && Guid.TryParse(task.SubjectId, out var id)
            ? await session.LoadAsync<CatalogItem>(id, cancellation)
            : null;
        return TitleFor(task, item is null ? [] : [item]);
    }

    /// <summary>The title the client sees, from a catalog already loaded (the builder's preview).</summary>
    public static string TitleFor(TaskSpec task, IReadOnlyList<CatalogItem> catalog)
    {
        if (!string.IsNullOrWhiteSpace(task.Title)) return task.Title.Trim();
        switch (task.Kind)
        {
            case TaskKind.AddInsurance: return "Add your insurance";
            case TaskKind.EnrollInAutopay: return "Enroll in autopay";
            case TaskKind.CompleteAssessment:
                return Instruments.BuiltIn.TryGetValue(task.SubjectId ?? string.Empty, out var name)
                    ? $"Complete the {name}"
                    : "Complete an assessment";
        }

        var item = catalog.FirstOrDefault(i => i.Id.ToString() == task.SubjectId);
        return task.Kind == TaskKind.SignDocument
            ? $"Sign: {item?.Title ?? "a document"}"
            : $"Complete the form: {item?.Title ?? "intake form"}";
    }
}

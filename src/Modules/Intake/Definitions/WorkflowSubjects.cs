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
        var ids = content.Stages.SelectMany(s => s.Tasks)
            .Where(t => t.Kind is TaskKind.SignDocument or TaskKind.CompleteIntakeForm)
            .Select(t => Guid.Parse(t.SubjectId!))
            .Distinct()
            .ToArray();
        var items = ids.Length == 0
            ? new Dictionary<Guid, CatalogItem>()
            : (await session.LoadManyAsync<CatalogItem>(cancellation, ids))
                .Where(i => i.PracticeId == practiceId && !i.Withdrawn)
                .ToDictionary(i => i.Id);
        var tasksByKey = content.Stages.SelectMany(s => s.Tasks).ToDictionary(t => t.Key);

        for (var s = 0; s < content.Stages.Count; s++)
        for (var t = 0; t < content.Stages[s].Tasks.Count; t++)
        {
            var task = content.Stages[s].Tasks[t];
            var path = $"stages[{s}].tasks[{t}]";
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

            if (task.Condition is { Field: { Length: > 0 } field } condition
                && tasksByKey[condition.TaskKey] is { Kind: TaskKind.CompleteIntakeForm } source
                && items.TryGetValue(Guid.Parse(source.SubjectId!), out var sourceForm)
                && sourceForm.Kind == CatalogItem.FormKind)
            {
                if (sourceForm.FieldKeys.Count > 0 && !sourceForm.FieldKeys.Contains(field))
                    errors[$"{path}.condition.field"] = [$"The form '{sourceForm.Title}' has no field '{field}'."];
                // A choice is tested against the answers the field offers: anything else could never match.
                else if (sourceForm.ChoiceField(field) is { } choice
                         && !choice.Options.Any(o => string.Equals(o.Value, condition.Value?.Trim(), StringComparison.OrdinalIgnoreCase)))
                    errors[$"{path}.condition.value"] =
                        [$"Choose one of the answers to \u201c{choice.Label}\u201d: {string.Join(", ", choice.Options.Select(o => o.Label))}."];
            }
        }

        return errors;
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

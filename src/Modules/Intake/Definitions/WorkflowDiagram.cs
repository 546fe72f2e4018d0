using System.Globalization;
using System.Security.Claims;
using System.Xml.Linq;
using Microsoft.AspNetCore.Mvc;
using Portal.Intake.Catalog;
using Portal.Intake.Triggers;

namespace Portal.Intake.Definitions;

/// <summary>
/// One version of a workflow drawn as SVG, on the server (no script): stages left to right, each stage's tasks top to
/// bottom, tracks side by side within their stage, and under each task its condition and timers in words. The drawing
/// is an image with a title and a description that says the same in sentences, for screen readers. Text is written
/// through <see cref="XElement"/>, so whatever a provider typed is escaped.
/// </summary>
internal static class WorkflowDiagram
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private const int Margin = 16, LaneWidth = 232, LaneGap = 12, StageGap = 40, TaskGap = 10, LineHeight = 17;
    private const int HeaderHeight = 64, StageHeaderHeight = 40, TaskPadding = 10, WrapAt = 30;

    /// <summary>A column of tasks run in order within a stage; a stage without tracks has one unnamed lane.</summary>
    internal sealed record Lane(string? Name, IReadOnlyList<TaskSpec> Tasks);

    /// <summary>The lanes of a stage, side by side.</summary>
    internal static IReadOnlyList<Lane> Lanes(StageSpec stage)
    {
        var tracks = (stage.Tracks ?? []).Where(t => t is not null).Select(t => new Lane(t.Name, t.Tasks ?? [])).ToList();
        return stage.Tasks is { Count: > 0 } || tracks.Count == 0 ? [new Lane(null, stage.Tasks ?? []), .. tracks] : tracks;
    }

    /// <summary>What is written in a task's box: its title, then its condition and timers in words.</summary>
    internal static IReadOnlyList<(string Text, string Class)> Lines(TaskSpec task, WorkflowContent content, IReadOnlyList<CatalogItem> catalog)
    {
        var lines = new List<(string, string)>();
        lines.AddRange(Wrap(WorkflowSubjects.TitleFor(task, catalog)).Select(l => (l, "title")));
        if (task.Guard() is { } guard)
            lines.AddRange(Wrap($"Only when {ConditionWords.Describe(guard, content, catalog)}").Select(l => (l, "condition")));
        if (!task.Required) lines.Add(("Optional", "timer"));
        if (Timers(task) is { } timers) lines.AddRange(Wrap(timers).Select(l => (l, "timer")));
        return lines;
    }

    /// <summary>"Due in 3 days; a reminder every day, at most 2": the task's timers in words, or null.</summary>
    internal static string? Timers(TaskSpec task)
    {
        var parts = new List<string>();
        if (task.DueInDays is { } due) parts.Add($"Due in {Days(due)}");
        if (task.RemindEveryDays is { } every && task.MaxReminders > 0)
            parts.Add($"{(parts.Count == 0 ? "A" : "a")} reminder every {(every == 1 ? "day" : $"{every} days")}, at most {task.MaxReminders}");
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private static string Days(int days) => days == 1 ? "1 day" : $"{days} days";

    public static string Render(WorkflowDefinition definition, DefinitionVersion version, IReadOnlyList<CatalogItem> catalog)
    {
        var content = version.Content;
        var title = $"Workflow \u201c{content.Name}\u201d, version {version.Version} ({version.Status.ToString().ToLowerInvariant()}): " +
                    $"{content.Stages.Count} {(content.Stages.Count == 1 ? "stage" : "stages")}";
        var startsBy = content.Triggers is { Count: > 0 } triggers
            ? $"Starts by itself {string.Join(", or ", triggers.Select(WorkflowTriggers.Words))}."
            : "Starts when someone assigns it.";

        var body = new List<XElement>();
        var description = new List<string> { startsBy };
        var x = Margin;
        var height = HeaderHeight;
        for (var s = 0; s < content.Stages.Count; s++)
        {
            var stage = content.Stages[s];
            var lanes = Lanes(stage);
            var width = lanes.Count * LaneWidth + (lanes.Count - 1) * LaneGap;
            var stageHeading = $"Stage {s + 1}: {stage.Name}" +
                               (stage.Tracks is { Count: > 1 } && stage.Join == AllOrAny.Any ? " (done when any one track is)" : "");
            var group = new XElement(Svg + "g", new XAttribute("class", "stage"),
                Text(x, HeaderHeight + 18, Clip(stageHeading, width), "stage-name"));
            var sentences = new List<string>();
            var bottom = HeaderHeight + StageHeaderHeight;
            for (var l = 0; l < lanes.Count; l++)
            {
                var lane = lanes[l];
                var laneX = x + l * (LaneWidth + LaneGap);
                var y = HeaderHeight + StageHeaderHeight;
                if (lane.Name is { } laneName)
                {
                    group.Add(Text(laneX, y + 12, Clip($"Track: {laneName}", LaneWidth), "track-name"));
                    sentences.Add($"Track {laneName}, in order:");
                    y += 22;
                }
                for (var t = 0; t < lane.Tasks.Count; t++)
                {
                    var task = lane.Tasks[t];
                    var lines = Lines(task, content, catalog);
                    var boxHeight = lines.Count * LineHeight + 2 * TaskPadding;
                    var box = new XElement(Svg + "g", new XAttribute("class", "task"),
                        new XElement(Svg + "rect", Attr("x", laneX), Attr("y", y), Attr("width", LaneWidth), Attr("height", boxHeight),
                            new XAttribute("rx", "6"), new XAttribute("class", "box"), new XAttribute("fill", "#f4f7fb"),
                            new XAttribute("stroke", Line)));
                    for (var i = 0; i < lines.Count; i++)
                        box.Add(Text(laneX + TaskPadding, y + TaskPadding + (i + 1) * LineHeight - 4, lines[i].Text, lines[i].Class));
                    group.Add(box);
                    if (t > 0 && lane.Name is not null) group.Add(Arrow(laneX + LaneWidth / 2, y - TaskGap, laneX + LaneWidth / 2, y, vertical: true));
                    y += boxHeight + TaskGap;
                    sentences.Add(string.Join(" ", lines.GroupBy(line => line.Class).Select(g => Sentence(string.Join(" ", g.Select(line => line.Text))))));
                }
                bottom = Math.Max(bottom, y);
            }
            description.Add($"{stageHeading}. {string.Join(" ", sentences)}");
            if (s > 0) body.Add(Arrow(x - StageGap + 6, HeaderHeight + 14, x - 6, HeaderHeight + 14, vertical: false));
            body.Add(group);
            height = Math.Max(height, bottom);
            x += width + StageGap;
        }

        var totalWidth = Math.Max(x - StageGap + Margin, 480);
        var totalHeight = height + Margin;
        var svg = new XElement(Svg + "svg",
            new XAttribute("width", totalWidth), new XAttribute("height", totalHeight),
            new XAttribute("viewBox", $"0 0 {totalWidth} {totalHeight}"),
            new XAttribute("role", "img"), new XAttribute("aria-labelledby", "diagram-title diagram-desc"),
            new XElement(Svg + "title", new XAttribute("id", "diagram-title"), title),
            new XElement(Svg + "desc", new XAttribute("id", "diagram-desc"), string.Join(" ", description)),
            new XElement(Svg + "defs", new XElement(Svg + "marker", new XAttribute("id", "arrow"), new XAttribute("viewBox", "0 0 10 10"),
                new XAttribute("refX", "9"), new XAttribute("refY", "5"), new XAttribute("markerWidth", "7"), new XAttribute("markerHeight", "7"),
                new XAttribute("orient", "auto-start-reverse"),
                new XElement(Svg + "path", new XAttribute("d", "M 0 0 L 10 5 L 0 10 z"), new XAttribute("fill", Line)))),
            new XElement(Svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "#ffffff")),
            Text(Margin, 24, Clip($"{content.Name} \u2014 version {version.Version}", totalWidth - 2 * Margin), "workflow-name"),
            Text(Margin, 44, Clip(startsBy, totalWidth - 2 * Margin), "triggers"),
            body);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), svg).ToString(SaveOptions.DisableFormatting);
    }

    // Presentation attributes, not a style sheet: the portal's Content-Security-Policy allows no inline styles. Dark
    // text on light fills, over 4.5:1, whatever page the image is shown on.
    private const string Ink = "#1f2933", Line = "#52606d", Muted = "#3e4c59", Rust = "#7b341e";

    private static IEnumerable<XAttribute> Look(string cssClass) =>
    [
        new("class", cssClass),
        new("font-family", "system-ui, -apple-system, 'Segoe UI', sans-serif"),
        new("font-size", cssClass == "workflow-name" ? "16" : "13"),
        new("fill", cssClass switch { "condition" => Rust, "timer" or "triggers" => Muted, _ => Ink }),
        .. cssClass is "workflow-name" or "stage-name" or "title" ? [new XAttribute("font-weight", "600")] : Array.Empty<XAttribute>(),
        .. cssClass == "track-name" ? [new XAttribute("font-style", "italic")] : Array.Empty<XAttribute>(),
    ];

    private static XElement Text(int x, int y, string text, string cssClass) =>
        new(Svg + "text", Attr("x", x), Attr("y", y), Look(cssClass), text);

    private static XElement Arrow(int x1, int y1, int x2, int y2, bool vertical) =>
        new(Svg + "line", Attr("x1", x1), Attr("y1", y1), Attr("x2", x2), Attr("y2", y2), new XAttribute("class", "edge"),
            new XAttribute("stroke", Line), new XAttribute("stroke-width", "1.5"),
            new XAttribute("marker-end", "url(#arrow)"), new XAttribute("data-direction", vertical ? "down" : "right"));

    private static XAttribute Attr(string name, int value) => new(name, value.ToString(CultureInfo.InvariantCulture));

    private static string Sentence(string text) => text.EndsWith('.') ? text : $"{text}.";

    /// <summary>A line fits about 7 px a character; a longer heading is cut with an ellipsis (the description has it whole).</summary>
    private static string Clip(string text, int width)
    {
        var max = Math.Max(10, width / 7);
        return text.Length <= max ? text : $"{text[..(max - 1)].TrimEnd()}\u2026";
    }

    /// <summary>Words wrapped at about <see cref="WrapAt"/> characters (a box is 232 px wide); a longer word is cut.</summary>
    internal static IReadOnlyList<string> Wrap(string text)
    {
        var lines = new List<string>();
        var line = string.Empty;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var piece = word.Length > WrapAt ? $"{word[..(WrapAt - 1)]}\u2026" : word;
            if (line.Length == 0) line = piece;
            else if (line.Length + 1 + piece.Length <= WrapAt) line += " " + piece;
            else
            {
                lines.Add(line);
                line = piece;
            }
        }
        if (line.Length > 0) lines.Add(line);
        return lines;
    }
}

/// <summary><c>GET /api/workflows/{id}/versions/{v}/diagram.svg</c>: the builder's drawing of one version.</summary>
public static class WorkflowDiagramEndpoint
{
    public static Task<WorkflowDefinition?> LoadAsync(Guid id, ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation) =>
        Definitions.LoadOwnAsync(id, principal, session, cancellation);

    public static ProblemDetails Validate(WorkflowDefinition? definition, Guid id) => Definitions.MustExist(definition, id);

    [WolverineGet("/api/workflows/{id}/versions/{v}/diagram.svg"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Get(int v, [NotBody] WorkflowDefinition definition, HttpContext http, IQuerySession session,
        CancellationToken cancellation)
    {
        if (definition.Versions.FirstOrDefault(x => x.Version == v) is not { } version)
            return Refusal.NotFound("version").ToProblem(http);
        var catalog = await WorkflowBuilder.CatalogAsync(session, definition.PracticeId, cancellation);
        return Results.Text(WorkflowDiagram.Render(definition, version, catalog), "image/svg+xml; charset=utf-8");
    }
}

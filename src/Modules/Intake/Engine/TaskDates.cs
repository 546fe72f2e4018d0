using System.Globalization;
using System.Text.RegularExpressions;
using Portal.BuildingBlocks.Time;
using Portal.Intake.Definitions;

namespace Portal.Intake.Engine;

/// <summary>
/// A named date of one assignment (<see cref="IntakeAssignment.Dates"/>): the moment in UTC, and the practice-local
/// time and zone it was given in, since "7 days before" counts days on the calendar of that zone.
/// </summary>
public sealed class AssignmentDate
{
    public DateTimeOffset Value { get; set; }
    public string Local { get; set; } = string.Empty;
    public string Zone { get; set; } = PortalTime.DefaultZoneId;
}

/// <summary>When a task opens and falls due, or which date it waits for: what the engine decides from its anchors.</summary>
internal sealed record TaskPlan(DateTimeOffset? OpensAt, DateTimeOffset? DueAt, string? WaitingFor);

/// <summary>
/// The date arithmetic of workflows v2 (#30 item 1), pure. A named date counts calendar days in the zone it was given
/// in: a task opens at the start of its day and is due at the end of its day (a due date is a date, in the client's
/// zone). Relative to the stage (no date named) it counts whole days from the moment, as v1's "due in N days" did.
/// </summary>
internal static partial class TaskDates
{
    /// <summary>The built-in date every practice has.</summary>
    public const string FirstSession = "firstSession";

    public const int MaxOffsetDays = 365;

    /// <summary>A date's name: a camel-case word ("firstSession", "intakeCall").</summary>
    [GeneratedRegex("^[a-z][A-Za-z0-9]{0,39}$")]
    public static partial Regex NamePattern();

    /// <summary>The due anchor, reading v1's <see cref="TaskSpec.DueInDays"/> as "N days after it opens".</summary>
    public static DateAnchor? DueOf(TaskSpec spec) =>
        spec.Due ?? (spec.DueInDays is { } days ? new DateAnchor(null, days) : null);

    /// <summary>Whether a task's open or due depends on the named date.</summary>
    public static bool DependsOn(TaskSpec spec, string name) => spec.Opens?.Date == name || DueOf(spec)?.Date == name;

    /// <summary>The names of the dates a version's tasks use.</summary>
    public static IEnumerable<string> NamesUsed(IEnumerable<StageSpec> stages) =>
        stages.SelectMany(s => s.AllTasks())
            .SelectMany(t => new[] { t.Opens?.Date, DueOf(t)?.Date })
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);

    /// <summary>
    /// The first occurrence's plan: opens relative to the stage's start or a date's day, due relative to the opening
    /// or a date's day; waiting when a date it names is not set yet.
    /// </summary>
    public static TaskPlan Plan(TaskSpec spec, DateTimeOffset stageStart, IReadOnlyDictionary<string, AssignmentDate> dates)
    {
        DateTimeOffset opensAt;
        if (spec.Opens is not { } opens) opensAt = stageStart;
        else if (opens.Date is null) opensAt = stageStart.AddDays(opens.OffsetDays);
        else if (dates.TryGetValue(opens.Date, out var date)) opensAt = StartOfDay(date, opens.OffsetDays);
        else return new TaskPlan(null, null, opens.Date);

        DateTimeOffset? dueAt = null;
        if (DueOf(spec) is { } due)
        {
            if (due.Date is null) dueAt = opensAt.AddDays(due.OffsetDays);
            else if (dates.TryGetValue(due.Date, out var date)) dueAt = EndOfDay(date, due.OffsetDays);
            else return new TaskPlan(null, null, due.Date);
        }

        return new TaskPlan(opensAt, dueAt, null);
    }

    /// <summary>
    /// A later occurrence of a repeating task: <see cref="RepeatSpec.EveryWeeks"/> weeks after the previous one opened,
    /// due as long after opening as the previous one was.
    /// </summary>
    public static TaskPlan Next(RepeatSpec repeat, AssignmentTask previous)
    {
        var opensAt = previous.RequestedAt!.Value.AddDays(7 * repeat.EveryWeeks);
        DateTimeOffset? dueAt = previous.DueAt is { } due ? opensAt + (due - previous.RequestedAt.Value) : null;
        return new TaskPlan(opensAt, dueAt, null);
    }

    /// <summary>Whether the task asks again after occurrence <paramref name="occurrence"/>.</summary>
    public static bool RepeatsAfter(RepeatSpec repeat, int occurrence) =>
        repeat.Times is { } times ? occurrence < times : repeat.UntilDischarge;

    /// <summary>The start (local midnight) of the day <paramref name="days"/> after the date's own day, in its zone.</summary>
    public static DateTimeOffset StartOfDay(AssignmentDate date, int days)
    {
        var zone = PortalTime.Find(date.Zone) ?? PortalTime.DefaultZone;
        var day = PortalTime.Day(date.Value, zone).AddDays(days).ToDateTime(TimeOnly.MinValue);
        // Where clocks skip midnight (a few zones change at 00:00), the day starts at the first minute that exists.
        while (zone.IsInvalidTime(day)) day = day.AddMinutes(30);
        return new DateTimeOffset(day, zone.GetUtcOffset(day)).ToUniversalTime();
    }

    /// <summary>
    /// The last second of the day <paramref name="days"/> after the date's own day, in its zone: the task is due that
    /// day (shown as that day's date) and overdue once it has passed.
    /// </summary>
    public static DateTimeOffset EndOfDay(AssignmentDate date, int days) => StartOfDay(date, days + 1).AddSeconds(-1);

    /// <summary>
    /// A practice-local "2027-01-15T15:00" as a moment in <paramref name="zone"/>; null when it is not such a time or does
    /// not exist there (the hour skipped when clocks go forward). An hour that happens twice reads as the first.
    /// </summary>
    public static DateTimeOffset? FromLocal(string? local, TimeZoneInfo zone)
    {
        if (local is null || !DateTime.TryParseExact(local, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            return null;
        at = DateTime.SpecifyKind(at, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(at)) return null;
        var offset = zone.IsAmbiguousTime(at) ? zone.GetAmbiguousTimeOffsets(at).Max() : zone.GetUtcOffset(at);
        return new DateTimeOffset(at, offset).ToUniversalTime();
    }

    private static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"];

    /// <summary>"the first-session date", "the intake-call date": how a waiting task names what it waits for.</summary>
    public static string Words(string name) =>
        $"the {CamelWords().Replace(name, m => "-" + m.Value.ToLowerInvariant())} date";

    /// <summary>"Waiting for the first-session date."</summary>
    public static string WaitingSentence(string name) => $"Waiting for {Words(name)}.";

    [GeneratedRegex("(?<=[a-z0-9])[A-Z]")]
    private static partial Regex CamelWords();
}

using Portal.Intake.Dates;
using Portal.Intake.Engine;

namespace Portal.Intake.Definitions;

/// <summary>
/// A task's dates and repeat as a provider reads them in the builder: "7 days before the first session", "every 2
/// weeks until discharge". Never the stored shape ("offsetDays: -7").
/// </summary>
internal static class TaskWords
{
    /// <summary>"the first session", or a practice's own date by its label ("the intake call").</summary>
    public static string DateName(string date, IReadOnlyList<NamedDate> dates)
    {
        var label = dates.FirstOrDefault(d => d.Name == date)?.Label ?? date;
        // "Intake call" reads "the intake call"; an acronym ("MRI review") keeps its capitals.
        var lowered = label.Length > 1 && char.IsUpper(label[0]) && !char.IsUpper(label[1])
            ? char.ToLowerInvariant(label[0]) + label[1..]
            : label;
        return $"the {lowered}";
    }

    /// <summary>When the task opens: "when the stage opens", "7 days before the first session".</summary>
    public static string Opens(TaskSpec task, IReadOnlyList<NamedDate> dates, bool afterAnother = false)
    {
        var start = afterAnother ? "the task before it is done" : "the stage opens";
        return task.Opens is not { } opens
            ? $"when {start}"
            : Anchor(opens, start, dates);
    }

    /// <summary>When it is due: "no due date", "7 days after the stage opens", "2 days before the first session".</summary>
    public static string Due(TaskSpec task, IReadOnlyList<NamedDate> dates, bool afterAnother = false)
    {
        if (TaskDates.DueOf(task) is not { } due) return "no due date";
        // Without a date of its own, a due date counts from when the task opens.
        var start = task.Opens is null && !afterAnother ? "the stage opens" : "it opens";
        return Anchor(due, start, dates);
    }

    /// <summary>"every 2 weeks until discharge", "every week, 6 times", "every 4 weeks, 6 times or until discharge".</summary>
    public static string? Repeat(TaskSpec task)
    {
        if (task.Repeat is not { } repeat) return null;
        var every = repeat.EveryWeeks == 1 ? "every week" : $"every {repeat.EveryWeeks} weeks";
        return (repeat.Times, repeat.UntilDischarge) switch
        {
            ({ } times, true) => $"{every}, {times} times or until discharge",
            ({ } times, false) => $"{every}, {times} times",
            (null, true) => $"{every} until discharge",
            _ => every,
        };
    }

    private static string Anchor(DateAnchor anchor, string start, IReadOnlyList<NamedDate> dates)
    {
        var days = Math.Abs(anchor.OffsetDays);
        var count = days == 1 ? "1 day" : $"{days} days";
        var way = anchor.OffsetDays < 0 ? "before" : "after";
        if (anchor.Date is not { } date) return days == 0 ? $"when {start}" : $"{count} {way} {start}";
        var name = DateName(date, dates);
        return days == 0 ? $"on the day of {name}" : $"{count} {way} {name}";
    }
}

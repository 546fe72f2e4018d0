using Portal.Intake.Definitions;
using Portal.Intake.Engine;

namespace Portal.Intake.Dates;

/// <summary>
/// A task's dates and repeats in the words a provider reads ("opens 7 days before the first session", "every 2 weeks
/// until discharge"), never "offsetDays: -7". The assignment page and the preview say them the same way.
/// </summary>
internal static class DateWords
{
    /// <summary>"the first session", "the intake call": a date by the label the practice gave it, else by its name.</summary>
    public static string DateName(string name, IReadOnlyList<NamedDate> dates) =>
        dates.FirstOrDefault(d => d.Name == name) is { } known
            ? $"the {char.ToLowerInvariant(known.Label[0])}{known.Label[1..]}"
            : TaskDates.Words(name);

    /// <summary>"7 days before the first session", "on the day of the first session", "3 days after the stage opens".</summary>
    public static string Relative(DateAnchor anchor, IReadOnlyList<NamedDate> dates, string stageWords)
    {
        var what = anchor.Date is { } name ? DateName(name, dates) : stageWords;
        return anchor.OffsetDays switch
        {
            0 when anchor.Date is null => $"when {stageWords}",
            0 => $"on the day of {what}",
            < 0 => $"{Days(-anchor.OffsetDays)} before {what}",
            _ => $"{Days(anchor.OffsetDays)} after {what}",
        };
    }

    /// <summary>"Opens 7 days before the first session; due 2 days before the first session", or null for neither.</summary>
    public static string? Schedule(TaskSpec task, IReadOnlyList<NamedDate> dates)
    {
        var parts = new List<string>();
        if (task.Opens is { } opens) parts.Add($"opens {Relative(opens, dates, "its stage opens")}");
        if (TaskDates.DueOf(task) is { } due) parts.Add($"due {Relative(due, dates, "it opens")}");
        if (parts.Count == 0) return null;
        var sentence = string.Join("; ", parts);
        return char.ToUpperInvariant(sentence[0]) + sentence[1..];
    }

    /// <summary>"every 2 weeks until discharge", "every week, 6 times in all".</summary>
    public static string Repeat(RepeatSpec repeat)
    {
        var every = repeat.EveryWeeks == 1 ? "every week" : $"every {repeat.EveryWeeks} weeks";
        return repeat.Times is { } times
            ? $"{every}, {times} {(times == 1 ? "time" : "times")} in all"
            : repeat.UntilDischarge ? $"{every} until discharge" : every;
    }

    public static string Days(int days) => days == 1 ? "1 day" : $"{days} days";
}

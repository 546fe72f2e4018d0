namespace Portal.Forms.Assessments;

/// <summary>One answer a respondent may choose, with the points it scores.</summary>
internal sealed record AnswerOption(int Value, string Label);

/// <summary>A severity band: totals from <see cref="Min"/> to <see cref="Max"/> (inclusive) are named <see cref="Name"/>.</summary>
internal sealed record SeverityBand(int Min, int Max, string Name);

/// <summary>What an instrument's scoring rule makes of a set of answers.</summary>
internal sealed record AssessmentScore(int Total, string Severity, bool SafetyFlag);

/// <summary>
/// A questionnaire as data (wording, answer scale, severity bands) plus a scoring rule. To add one, declare it here
/// and list it in <see cref="Instruments.All"/>; pages, endpoints, scoring and the trend chart pick it up.
/// </summary>
internal sealed class Instrument
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required string Title { get; init; }
    public required string Instructions { get; init; }
    public required IReadOnlyList<string> Items { get; init; }
    public required IReadOnlyList<AnswerOption> Options { get; init; }
    public required IReadOnlyList<SeverityBand> Bands { get; init; }

    /// <summary>Indexes (0-based) of items whose any answer above 0 must reach the provider at once, whatever the total.</summary>
    public IReadOnlyList<int> SafetyItems { get; init; } = [];

    /// <summary>The scoring rule; the default is the sum of the answers' points.</summary>
    public Func<IReadOnlyList<int>, int> Total { get; init; } = answers => answers.Sum();

    public int MaxTotal => Items.Count * Options.Max(o => o.Value);

    /// <summary>Errors in a set of answers (count and range), or none.</summary>
    public IReadOnlyList<string> Check(IReadOnlyList<int>? answers)
    {
        if (answers is null || answers.Count != Items.Count)
            return [$"Answer all {Items.Count} questions."];
        var allowed = Options.Select(o => o.Value).ToHashSet();
        return answers.Select((a, i) => (a, i)).Where(x => !allowed.Contains(x.a))
            .Select(x => $"Question {x.i + 1} has no answer {x.a}; choose one of {string.Join(", ", allowed.Order())}.")
            .ToList();
    }

    public AssessmentScore Score(IReadOnlyList<int> answers)
    {
        if (Check(answers).Count > 0) throw new ArgumentException("Answers do not fit the instrument.", nameof(answers));
        var total = Total(answers);
        var band = Bands.Single(b => total >= b.Min && total <= b.Max);
        return new AssessmentScore(total, band.Name, SafetyItems.Any(i => answers[i] > 0));
    }
}

/// <summary>The instruments built into the portal.</summary>
internal static class Instruments
{
    private static readonly AnswerOption[] FrequencyScale =
    [
        new(0, "Not at all"),
        new(1, "Several days"),
        new(2, "More than half the days"),
        new(3, "Nearly every day"),
    ];

    public static readonly Instrument Phq9 = new()
    {
        Code = "phq9",
        Name = "PHQ-9",
        Title = "PHQ-9 depression questionnaire",
        Instructions = "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
        Items =
        [
            "Little interest or pleasure in doing things",
            "Feeling down, depressed, or hopeless",
            "Trouble falling or staying asleep, or sleeping too much",
            "Feeling tired or having little energy",
            "Poor appetite or overeating",
            "Feeling bad about yourself, or that you are a failure or have let yourself or your family down",
            "Trouble concentrating on things, such as reading the newspaper or watching television",
            "Moving or speaking so slowly that other people could have noticed? Or the opposite, " +
            "being so fidgety or restless that you have been moving around a lot more than usual",
            "Thoughts that you would be better off dead or of hurting yourself in some way",
        ],
        Options = FrequencyScale,
        Bands =
        [
            new(0, 4, "minimal"),
            new(5, 9, "mild"),
            new(10, 14, "moderate"),
            new(15, 19, "moderately severe"),
            new(20, 27, "severe"),
        ],
        SafetyItems = [8],
    };

    public static readonly Instrument Gad7 = new()
    {
        Code = "gad7",
        Name = "GAD-7",
        Title = "GAD-7 anxiety questionnaire",
        Instructions = "Over the last 2 weeks, how often have you been bothered by the following problems?",
        Items =
        [
            "Feeling nervous, anxious, or on edge",
            "Not being able to stop or control worrying",
            "Worrying too much about different things",
            "Trouble relaxing",
            "Being so restless that it is hard to sit still",
            "Becoming easily annoyed or irritable",
            "Feeling afraid, as if something awful might happen",
        ],
        Options = FrequencyScale,
        Bands =
        [
            new(0, 4, "minimal"),
            new(5, 9, "mild"),
            new(10, 14, "moderate"),
            new(15, 21, "severe"),
        ],
    };

    public static readonly IReadOnlyList<Instrument> All = [Phq9, Gad7];

    public static Instrument? Find(string? code) =>
        All.FirstOrDefault(i => string.Equals(i.Code, code, StringComparison.OrdinalIgnoreCase));
}

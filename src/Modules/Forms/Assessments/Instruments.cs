namespace Portal.Forms.Assessments;

/// <summary>One answer a respondent may choose, with the points it scores.</summary>
internal sealed record AnswerOption(int Value, string Label);

/// <summary>A severity band: totals from <see cref="Min"/> to <see cref="Max"/> (inclusive) are named <see cref="Name"/>.</summary>
internal sealed record SeverityBand(int Min, int Max, string Name);

/// <summary>
/// An instrument's wording in one language: the title, the instructions, the items and the answer labels, in the same
/// order as the English (the scoring reads positions and points, never words, so it is identical in every language).
/// </summary>
internal sealed record InstrumentText(string Title, string Instructions, IReadOnlyList<string> Items, IReadOnlyList<string> OptionLabels);

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

    /// <summary>
    /// The publisher's own translations, by language ("es"); English is <see cref="Title"/>, <see cref="Items"/> and the
    /// options' labels. A language without one shows the English.
    /// </summary>
    public IReadOnlyDictionary<string, InstrumentText> Translations { get; init; } = new Dictionary<string, InstrumentText>();

    /// <summary>The wording a reader of <paramref name="language"/> answers: the translation, else the English.</summary>
    public InstrumentText Text(string? language) => language is not null && Translations.TryGetValue(language, out var text)
        ? text
        : new InstrumentText(Title, Instructions, Items, [.. Options.Select(o => o.Label)]);

    /// <summary>The language the wording of <see cref="Text"/> is in for <paramref name="language"/>.</summary>
    public string LanguageOf(string? language) =>
        language is not null && Translations.ContainsKey(language) ? language : Portal.BuildingBlocks.Localization.PortalLanguages.English;

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
        // Source: Pfizer Inc., PHQ-9 "Spanish for the USA" (Patient Health Questionnaire, developed by Drs. Robert L. Spitzer,
        // Janet B.W. Williams, Kurt Kroenke and colleagues; no permission required to reproduce, translate, display or
        // distribute), from the PHQ Screeners site, https://www.phqscreeners.com/select-screener (PHQ-9, Spanish, USA).
        Translations = new Dictionary<string, InstrumentText>
        {
            ["es"] = new(
                "PHQ-9, cuestionario sobre la salud del paciente",
                "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?",
                [
                    "Poco interés o placer en hacer cosas",
                    "Se ha sentido decaído(a), deprimido(a) o sin esperanzas",
                    "Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado",
                    "Se ha sentido cansado(a) o con poca energía",
                    "Sin apetito o ha comido en exceso",
                    "Se ha sentido mal con usted mismo(a) – o que es un fracaso o que ha quedado mal con usted mismo(a) o con su familia",
                    "Ha tenido dificultad para concentrarse en ciertas actividades, tales como leer el periódico o ver la televisión",
                    "¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? o lo contrario – muy inquieto(a) o " +
                    "agitado(a) que ha estado moviéndose mucho más de lo normal",
                    "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera",
                ],
                ["Ningún día", "Varios días", "Más de la mitad de los días", "Casi todos los días"]),
        },
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
        // Source: Pfizer Inc., GAD-7 "Spanish for the USA" (developed by Drs. Robert L. Spitzer, Janet B.W. Williams,
        // Kurt Kroenke and colleagues; no permission required to reproduce, translate, display or distribute), from the
        // PHQ Screeners site, https://www.phqscreeners.com/select-screener (GAD-7, Spanish, USA).
        Translations = new Dictionary<string, InstrumentText>
        {
            ["es"] = new(
                "GAD-7, cuestionario sobre la ansiedad",
                "Durante las últimas 2 semanas, ¿con qué frecuencia le han molestado los siguientes problemas?",
                [
                    "Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta",
                    "No ha sido capaz de parar o controlar su preocupación",
                    "Se ha preocupado demasiado por motivos diferentes",
                    "Ha tenido dificultad para relajarse",
                    "Se ha sentido tan inquieto(a) que no ha podido quedarse quieto(a)",
                    "Se ha molestado o irritado fácilmente",
                    "Ha tenido miedo de que algo terrible fuera a pasar",
                ],
                ["Nunca", "Varios días", "Más de la mitad de los días", "Casi todos los días"]),
        },
    };

    public static readonly IReadOnlyList<Instrument> All = [Phq9, Gad7];

    public static Instrument? Find(string? code) =>
        All.FirstOrDefault(i => string.Equals(i.Code, code, StringComparison.OrdinalIgnoreCase));
}

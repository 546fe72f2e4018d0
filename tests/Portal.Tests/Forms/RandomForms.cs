using System.Text.Json;
using CsCheck;
using Portal.Forms.IntakeForms;

namespace Portal.Tests.Forms;

/// <summary>
/// Random but well-formed form schemas (any field type, rules, conditions on earlier fields of every kind) and random
/// answers to them: plausible ones, wrong ones and ones of the wrong JSON shape, plus keys the form does not have.
/// Built from seeds so CsCheck can report and replay a failing case.
/// </summary>
internal static class RandomForms
{
    public static readonly Gen<(int SchemaSeed, int AnswerSeed)> Seeds = Gen.Select(Gen.Int, Gen.Int);

    public static FormSchema Schema(int seed)
    {
        var random = new Random(seed);
        var schema = new FormSchema();
        var earlier = new List<FormField>();
        var sections = random.Next(1, 5);
        for (var s = 0; s < sections; s++)
        {
            var section = new FormSection { Key = $"s{s}", Title = $"Section {s}" };
            if (earlier.Count > 0 && random.NextDouble() < 0.4) section.ShowWhen = Condition(random, earlier);
            var fields = random.Next(1, 6);
            for (var f = 0; f < fields; f++)
            {
                var field = Field(random, $"f{s}_{f}");
                if (earlier.Count > 0 && random.NextDouble() < 0.4) field.ShowWhen = Condition(random, earlier);
                section.Fields.Add(field);
                earlier.Add(field);
            }
            schema.Sections.Add(section);
        }
        return schema;
    }

    private static FormField Field(Random random, string key)
    {
        var type = (FieldType)random.Next(0, 7);
        var field = new FormField { Key = key, Label = $"Question {key}", Type = type, Required = random.NextDouble() < 0.5 };
        switch (type)
        {
            case FieldType.SingleChoice or FieldType.MultipleChoice:
                field.Options = Enumerable.Range(0, random.Next(1, 5)).Select(i => $"Option {i}").ToList();
                if (type == FieldType.MultipleChoice && random.NextDouble() < 0.3)
                {
                    field.Min = random.Next(0, field.Options.Count + 1);
                    field.Max = random.Next((int)field.Min.Value == 0 ? 1 : (int)field.Min.Value, field.Options.Count + 2);
                }
                break;
            case FieldType.Number when random.NextDouble() < 0.5:
                field.Min = random.Next(-10, 10);
                field.Max = field.Min + random.Next(0, 50);
                break;
            case FieldType.ShortText or FieldType.LongText:
                if (random.NextDouble() < 0.3) field.MaxLength = random.Next(1, 20);
                if (random.NextDouble() < 0.3) field.Pattern = random.NextDouble() < 0.5 ? "[a-z]+" : @"\d{3}-\d{4}";
                break;
        }
        return field;
    }

    private static ShowWhen Condition(Random random, List<FormField> earlier)
    {
        var source = earlier[random.Next(earlier.Count)];
        var value = source.Type switch
        {
            FieldType.YesNo => random.NextDouble() < 0.5 ? "yes" : "no",
            FieldType.SingleChoice or FieldType.MultipleChoice => source.Options[random.Next(source.Options.Count)],
            FieldType.Number => random.Next(-3, 20).ToString(),
            FieldType.Date => "2024-02-29",
            _ => random.NextDouble() < 0.5 ? "abc" : "555-1234",
        };
        return new ShowWhen { Field = source.Key, Value = value };
    }

    /// <summary>Answers to the schema as the JSON a client could send.</summary>
    public static Dictionary<string, JsonElement> Answers(FormSchema schema, int seed)
    {
        var random = new Random(seed);
        var answers = new Dictionary<string, object?>();
        foreach (var field in schema.AllFields)
        {
            var roll = random.NextDouble();
            if (roll < 0.15) continue;
            answers[field.Key] = roll < 0.75 ? Plausible(random, field) : Garbage(random);
        }
        if (random.NextDouble() < 0.3) answers["not_a_field"] = Garbage(random);
        return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(answers))!;
    }

    public static object? Plausible(Random random, FormField field) => field.Type switch
    {
        FieldType.ShortText or FieldType.LongText => random.Next(4) switch
        {
            0 => "abc",
            1 => "555-1234",
            2 => new string('x', random.Next(0, 30)),
            _ => "Some answer",
        },
        FieldType.Number => random.Next(3) switch { 0 => random.Next(-20, 70), 1 => random.Next(-20, 70).ToString(), _ => 2.5 },
        FieldType.Date => random.NextDouble() < 0.8 ? "2024-02-29" : "2023-02-29",
        FieldType.SingleChoice => field.Options[random.Next(field.Options.Count)],
        FieldType.MultipleChoice => field.Options.Where(_ => random.NextDouble() < 0.5).ToArray(),
        FieldType.YesNo => random.Next(3) switch { 0 => "yes", 1 => "no", _ => random.NextDouble() < 0.5 },
        _ => null,
    };

    public static object? Garbage(Random random) => random.Next(9) switch
    {
        0 => null,
        1 => new { nested = "object" },
        2 => new object[] { "a", 1, true, new[] { 1 } },
        3 => new string('y', random.Next(0, 600)),
        4 => double.MaxValue,
        5 => "1e99999",
        6 => "((((a+)+)+)+b",
        7 => new[] { "Option 0", "Option 0", "Nope" },
        _ => "   ",
    };
}

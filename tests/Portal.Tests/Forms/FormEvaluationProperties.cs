using System.Text.Json;
using CsCheck;
using Portal.Forms.IntakeForms;

namespace Portal.Tests.Forms;

/// <summary>
/// The checks the submit endpoint runs (the same RawAnswers + FormEvaluator it calls), against random schemas and
/// random answers.
/// </summary>
public sealed class FormEvaluationProperties
{
    [Fact]
    public void Random_schemas_from_the_generator_are_well_formed() =>
        Gen.Int.Sample(seed => FormSchemaRules.Check(RandomForms.Schema(seed)).ShouldBeEmpty(), iter: 500);

    [Fact]
    public void Random_answers_never_make_the_check_fail_and_hidden_fields_are_never_required_nor_kept() =>
        RandomForms.Seeds.Sample((schemaSeed, answerSeed) =>
        {
            var schema = RandomForms.Schema(schemaSeed);
            var evaluation = FormEvaluator.Evaluate(schema, RawAnswers.FromJson(RandomForms.Answers(schema, answerSeed)));

            evaluation.Kept.Keys.ShouldAllBe(key => evaluation.Visible.Contains(key));
            evaluation.Errors.Keys.Select(key => key.Substring("answers.".Length)).ShouldAllBe(key => evaluation.Visible.Contains(key));
            var hidden = schema.AllFields.Where(f => !evaluation.Visible.Contains(f.Key)).Select(f => f.Key).ToList();
            hidden.ShouldAllBe(key => !evaluation.Kept.ContainsKey(key) && !evaluation.Errors.ContainsKey($"answers.{key}"));
        }, iter: 3000);

    [Fact]
    public void Whatever_is_sent_for_a_hidden_field_changes_nothing() =>
        RandomForms.Seeds.Sample((schemaSeed, answerSeed) =>
        {
            var schema = RandomForms.Schema(schemaSeed);
            var answers = RandomForms.Answers(schema, answerSeed);
            var first = FormEvaluator.Evaluate(schema, RawAnswers.FromJson(answers));

            // Replace every hidden field's answer: remove it, or send garbage, or a plausible value.
            var random = new Random(answerSeed ^ schemaSeed);
            var changed = new Dictionary<string, object?>();
            foreach (var (key, value) in answers) changed[key] = value;
            foreach (var field in schema.AllFields.Where(f => !first.Visible.Contains(f.Key)))
            {
                changed.Remove(field.Key);
                var roll = random.Next(3);
                if (roll == 1) changed[field.Key] = RandomForms.Garbage(random);
                if (roll == 2) changed[field.Key] = RandomForms.Plausible(random, field);
            }
            var second = FormEvaluator.Evaluate(schema,
                RawAnswers.FromJson(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(changed))));

            second.Visible.ShouldBe(first.Visible, ignoreOrder: true);
            Canonical(second.Kept).ShouldBe(Canonical(first.Kept));
            second.Errors.Keys.ShouldBe(first.Errors.Keys, ignoreOrder: true);
        }, iter: 2000);

    [Fact]
    public void Kept_answers_of_a_valid_submission_are_themselves_a_valid_submission_with_the_same_answers() =>
        RandomForms.Seeds.Sample((schemaSeed, answerSeed) =>
        {
            var schema = RandomForms.Schema(schemaSeed);
            var first = FormEvaluator.Evaluate(schema, RawAnswers.FromJson(RandomForms.Answers(schema, answerSeed)));
            if (!first.IsValid) return;

            var again = FormEvaluator.Evaluate(schema, new RawAnswers(first.Kept, new HashSet<string>()));
            again.IsValid.ShouldBeTrue();
            Canonical(again.Kept).ShouldBe(Canonical(first.Kept));
        }, iter: 2000);

    [Fact]
    public void A_second_section_shown_only_after_yes_is_required_after_yes_and_dropped_after_no()
    {
        var schema = new FormSchema
        {
            Sections =
            [
                new FormSection
                {
                    Key = "about", Title = "About you",
                    Fields = [new FormField { Key = "has_insurance", Label = "Do you have insurance?", Type = FieldType.YesNo, Required = true }]
                },
                new FormSection
                {
                    Key = "insurance", Title = "Your insurance", ShowWhen = new ShowWhen { Field = "has_insurance", Value = "yes" },
                    Fields = [new FormField { Key = "payer", Label = "Insurance company", Type = FieldType.ShortText, Required = true }],
                },
            ],
        };
        RawAnswers Raw(params (string Key, string Value)[] answers) =>
            new(answers.ToDictionary(a => a.Key, a => new List<string> { a.Value }), new HashSet<string>());

        var yesWithoutPayer = FormEvaluator.Evaluate(schema, Raw(("has_insurance", "yes")));
        yesWithoutPayer.Errors.Keys.ShouldBe(["answers.payer"]);

        var no = FormEvaluator.Evaluate(schema, Raw(("has_insurance", "no"), ("payer", "Aetna")));
        no.IsValid.ShouldBeTrue();
        no.Kept.Keys.ShouldBe(["has_insurance"]);

        var yes = FormEvaluator.Evaluate(schema, Raw(("has_insurance", "yes"), ("payer", "Aetna")));
        yes.IsValid.ShouldBeTrue();
        yes.Kept["payer"].ShouldBe(["Aetna"]);
    }

    [Fact]
    public void Field_rules_are_enforced_on_visible_fields()
    {
        var schema = new FormSchema
        {
            Sections =
            [
                new FormSection
                {
                    Key = "main", Title = "Main",
                    Fields =
                    [
                        new FormField { Key = "age", Label = "Age", Type = FieldType.Number, Min = 0, Max = 120 },
                        new FormField { Key = "phone", Label = "Phone", Type = FieldType.ShortText, Pattern = @"\d{3}-\d{4}" },
                        new FormField { Key = "note", Label = "Note", Type = FieldType.LongText, MaxLength = 5 },
                        new FormField { Key = "pick", Label = "Pick", Type = FieldType.MultipleChoice, Options = ["a", "b", "c"], Max = 2 },
                        new FormField { Key = "born", Label = "Born", Type = FieldType.Date },
                    ],
                },
            ],
        };
        var answers = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(
            """{ "age": 121, "phone": "5551234", "note": "too long", "pick": ["a", "b", "c"], "born": "1990-13-01" }""");
        var evaluation = FormEvaluator.Evaluate(schema, RawAnswers.FromJson(answers));
        evaluation.Errors.Keys.ShouldBe(["answers.age", "answers.phone", "answers.note", "answers.pick", "answers.born"], ignoreOrder: true);
        evaluation.Kept.ShouldBeEmpty();

        var good = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(
            """{ "age": "42.50", "phone": "555-1234", "note": "ok", "pick": ["c", "a"], "born": "1990-12-01" }""");
        var kept = FormEvaluator.Evaluate(schema, RawAnswers.FromJson(good)).Kept;
        kept["age"].ShouldBe(["42.5"]);
        kept["pick"].ShouldBe(["a", "c"]);
    }

    [Fact]
    public void Schemas_with_bad_keys_rules_or_conditions_that_look_forward_are_refused()
    {
        var schema = new FormSchema
        {
            Sections =
            [
                new FormSection
                {
                    Key = "main", Title = "Main",
                    Fields =
                    [
                        new FormField
                        {
                            Key = "first", Label = "First", Type = FieldType.YesNo, ShowWhen = new ShowWhen { Field = "second", Value = "yes" }
                        },
                        new FormField { Key = "second", Label = "Second", Type = FieldType.SingleChoice },
                        new FormField { Key = "second", Label = "Again", Type = FieldType.Number, Min = 5, Max = 1 },
                        new FormField { Key = "Bad Key", Label = "Text", Type = FieldType.ShortText, Pattern = "(" },
                    ],
                },
            ],
        };
        var errors = FormSchemaRules.Check(schema);
        errors.Keys.ShouldBe([
            "schema.sections[0].fields[0].showWhen.field",
            "schema.sections[0].fields[1].options",
            "schema.sections[0].fields[2].key",
            "schema.sections[0].fields[2].max",
            "schema.sections[0].fields[3].key",
            "schema.sections[0].fields[3].pattern",
        ], ignoreOrder: true);
    }

    private static string Canonical(Dictionary<string, List<string>> answers) =>
        string.Join("|", answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={string.Join(",", a.Value)}"));
}

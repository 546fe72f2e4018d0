using CsCheck;
using Portal.Forms.Assessments;

namespace Portal.Tests.Forms;

/// <summary>Scoring follows the published PHQ-9 and GAD-7 rules (shared/product.md, "Assessment scoring").</summary>
public sealed class AssessmentScoringProperties
{
    // The published cut-offs, written out here independently of the instrument definitions.
    private static readonly (int Min, int Max, string Band)[] Phq9Bands =
        [(0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 19, "moderately severe"), (20, 27, "severe")];

    private static readonly (int Min, int Max, string Band)[] Gad7Bands =
        [(0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 21, "severe")];

    private static string Published((int Min, int Max, string Band)[] bands, int total) =>
        bands.Single(b => total >= b.Min && total <= b.Max).Band;

    [Fact]
    public void PHQ9_score_is_the_sum_of_the_answers_and_its_band_follows_the_published_cut_offs() =>
        Gen.Int[0, 3].Array[9].Sample(answers =>
        {
            var score = Instruments.Phq9.Score(answers);
            score.Total.ShouldBe(answers.Sum());
            score.Severity.ShouldBe(Published(Phq9Bands, answers.Sum()));
        }, iter: 2000);

    [Fact]
    public void GAD7_score_is_the_sum_of_the_answers_and_its_band_follows_the_published_cut_offs() =>
        Gen.Int[0, 3].Array[7].Sample(answers =>
        {
            var score = Instruments.Gad7.Score(answers);
            score.Total.ShouldBe(answers.Sum());
            score.Severity.ShouldBe(Published(Gad7Bands, answers.Sum()));
            score.SafetyFlag.ShouldBeFalse();
        }, iter: 2000);

    [Fact]
    public void PHQ9_item_9_above_0_raises_the_safety_flag_whatever_the_total() =>
        Gen.Int[0, 3].Array[9].Sample(answers =>
        {
            Instruments.Phq9.Score(answers).SafetyFlag.ShouldBe(answers[8] > 0);
        }, iter: 2000);

    [Theory]
    [InlineData("phq9")]
    [InlineData("gad7")]
    public void Every_possible_total_gets_the_published_band_including_both_sides_of_every_boundary(string code)
    {
        var instrument = Instruments.Find(code)!;
        var bands = code == "phq9" ? Phq9Bands : Gad7Bands;
        for (var total = 0; total <= instrument.MaxTotal; total++)
        {
            // Answers that add up to exactly this total: fill items with 3s from the first, the rest in the next item.
            var answers = new int[instrument.Items.Count];
            var left = total;
            for (var i = 0; i < answers.Length && left > 0; i++)
            {
                answers[i] = Math.Min(3, left);
                left -= answers[i];
            }
            var score = instrument.Score(answers);
            score.Total.ShouldBe(total);
            score.Severity.ShouldBe(Published(bands, total), $"total {total}");
        }
        instrument.MaxTotal.ShouldBe(bands[^1].Max);
    }

    [Fact]
    public void Answers_of_the_wrong_count_or_outside_the_scale_are_refused() =>
        Gen.Int[-2, 5].Array[0, 12].Sample(answers =>
        {
            var fits = answers.Length == 9 && answers.All(a => a is >= 0 and <= 3);
            (Instruments.Phq9.Check(answers).Count == 0).ShouldBe(fits);
        }, iter: 2000);

    [Fact]
    public void The_built_in_instruments_use_the_standard_wording_and_scale()
    {
        Instruments.Phq9.Items.Count.ShouldBe(9);
        Instruments.Gad7.Items.Count.ShouldBe(7);
        Instruments.Phq9.Items[8].ShouldBe("Thoughts that you would be better off dead or of hurting yourself in some way");
        Instruments.Phq9.Options.Select(o => (o.Value, o.Label)).ShouldBe(
            [(0, "Not at all"), (1, "Several days"), (2, "More than half the days"), (3, "Nearly every day")]);
        Instruments.Gad7.Options.ShouldBe(Instruments.Phq9.Options);
    }
}

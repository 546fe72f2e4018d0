using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;

namespace Portal.Forms.IntakeForms;

/// <summary>
/// Answers as they arrive, before any checking: each field key with the strings given for it, and the keys whose
/// value had a shape no field accepts (an object, a nested array).
/// </summary>
internal sealed record RawAnswers(IReadOnlyDictionary<string, List<string>> Values, IReadOnlySet<string> Malformed)
{
    public static readonly RawAnswers None = new(new Dictionary<string, List<string>>(), new HashSet<string>());

    public static RawAnswers FromJson(IReadOnlyDictionary<string, JsonElement>? answers)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var malformed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, element) in answers ?? new Dictionary<string, JsonElement>())
        {
            if (key is null) continue;
            var list = new List<string>();
            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                    if (Scalar(item) is { } text) list.Add(text);
                    else if (item.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)) malformed.Add(key);
            }
            else if (Scalar(element) is { } text) list.Add(text);
            else if (element.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)) malformed.Add(key);
            values[key] = list;
        }
        return new RawAnswers(values, malformed);
    }

    /// <summary>From an HTML form whose inputs are named "a.{fieldKey}".</summary>
    public static RawAnswers FromForm(IFormCollection form)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, given) in form)
            if (name.StartsWith("a.", StringComparison.Ordinal))
                values[name[2..]] = given.Where(v => v is not null).Select(v => v!).ToList();
        return new RawAnswers(values, new HashSet<string>());
    }

    private static string? Scalar(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        _ => null,
    };
}

/// <summary>The answers kept (visible, answered and valid, in canonical form), the errors by field, and what was visible.</summary>
internal sealed record FormEvaluation(Dictionary<string, List<string>> Kept, Dictionary<string, string[]> Errors, HashSet<string> Visible)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Checks answers against one version's schema, walking sections and fields in order. A section or field whose
/// condition does not match the answers kept so far is hidden: it is neither required nor checked, and its answer is
/// dropped. Never throws on any input.
/// </summary>
internal static class FormEvaluator
{
    public const int DefaultShortTextLength = 500, DefaultLongTextLength = 10_000;

    /// <summary>
    /// The most characters one answer to <paramref name="field"/> may have: a text field's own limit, otherwise the
    /// short text default (longer than any choice, number or date).
    /// </summary>
    public static int MostCharacters(FormField field) =>
        field.MaxLength ?? (field.Type == FieldType.LongText ? DefaultLongTextLength : DefaultShortTextLength);

    public static string TooLong(int limit, IStringLocalizer? text = null) => Say(text, "Use at most {0} characters.", limit);

    /// <summary>
    /// <paramref name="text"/> says what is wrong in the client's language (each message's key is its English wording);
    /// without it, in English.
    /// </summary>
    public static FormEvaluation Evaluate(FormSchema schema, RawAnswers answers, bool requireComplete = true, IStringLocalizer? text = null)
    {
        var kept = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>();
        var visible = new HashSet<string>(StringComparer.Ordinal);
        var fields = new Dictionary<string, FormField>(StringComparer.Ordinal);

        foreach (var section in schema.Sections)
        {
            var sectionShown = section.ShowWhen is null || Matches(section.ShowWhen, fields, kept);
            foreach (var field in section.Fields)
            {
                fields.TryAdd(field.Key, field);
                if (!sectionShown || (field.ShowWhen is not null && !Matches(field.ShowWhen, fields, kept))) continue;
                visible.Add(field.Key);

                var given = answers.Values.TryGetValue(field.Key, out var list)
                    ? list.Select(v => v.Trim()).Where(v => v.Length > 0).ToList()
                    : [];
                if (answers.Malformed.Contains(field.Key))
                {
                    errors[$"answers.{field.Key}"] = [Say(text, "This answer has a form the field does not accept.")];
                    continue;
                }
                if (given.Count == 0)
                {
                    if (requireComplete && field.Required)
                        errors[$"answers.{field.Key}"] = [Say(text, "'{0}' is required.", field.Label)];
                    continue;
                }

                var (value, error) = Check(field, given, text);
                if (error is not null) errors[$"answers.{field.Key}"] = [error];
                else kept[field.Key] = value!;
            }
        }
        return new FormEvaluation(kept, errors, visible);
    }

    private static string Say(IStringLocalizer? text, string key, params object[] values) =>
        text is null ? string.Format(CultureInfo.InvariantCulture, key, values) : text[key, values].Value;

    private static (List<string>? Value, string? Error) Check(FormField field, List<string> given, IStringLocalizer? localizer)
    {
        if (field.Type != FieldType.MultipleChoice && given.Count > 1) return (null, Say(localizer, "Give one answer."));
        var text = given[0];
        switch (field.Type)
        {
            case FieldType.ShortText or FieldType.LongText:
                var limit = MostCharacters(field);
                if (text.Length > limit) return (null, TooLong(limit, localizer));
                if (field.Pattern is { Length: > 0 } pattern && !FullMatch(text, pattern))
                    return (null, Say(localizer, "The answer is not in the expected format."));
                return ([text], null);

            case FieldType.Number:
                if (!TryNumber(text, out var number)) return (null, Say(localizer, "Enter a number."));
                if (field.Min is { } min && number < min) return (null, Say(localizer, "Enter {0} or more.", Canonical(min)));
                if (field.Max is { } max && number > max) return (null, Say(localizer, "Enter {0} or less.", Canonical(max)));
                return ([Canonical(number)], null);

            case FieldType.Date:
                if (!TryParseIsoDate(text, out var date))
                    return (null, Say(localizer, "Enter a date as YYYY-MM-DD."));
                if (field.MinDate is { } earliest && date < earliest) return (null, Say(localizer, "Enter {0} or later.", IsoDate(earliest)));
                if (field.MaxDate is { } latest && date > latest) return (null, Say(localizer, "Enter {0} or earlier.", IsoDate(latest)));
                return ([IsoDate(date)], null);

            case FieldType.SingleChoice:
                return Option(field, text) is { } option ? ([option], null) : (null, Say(localizer, "Choose one of the choices given."));

            case FieldType.MultipleChoice:
                var chosen = new List<string>();
                foreach (var item in given)
                {
                    if (Option(field, item) is not { } picked) return (null, Say(localizer, "Choose only among the choices given."));
                    if (!chosen.Contains(picked)) chosen.Add(picked);
                }
                if (field.Min is { } fewest && chosen.Count < fewest) return (null, Say(localizer, "Choose at least {0}.", Canonical(fewest)));
                if (field.Max is { } most && chosen.Count > most) return (null, Say(localizer, "Choose at most {0}.", Canonical(most)));
                return (field.Options.Where(chosen.Contains).ToList(), null);

            case FieldType.YesNo:
                return text.ToLowerInvariant() switch
                {
                    "yes" or "true" => (["yes"], null),
                    "no" or "false" => (["no"], null),
                    _ => (null, Say(localizer, "Answer yes or no.")),
                };

            default:
                return (null, Say(localizer, "This field cannot be answered."));
        }
    }

    /// <summary>Whether the condition's field was kept (visible, answered, valid) with the condition's value.</summary>
    internal static bool Matches(ShowWhen condition, IReadOnlyDictionary<string, FormField> fields, IReadOnlyDictionary<string, List<string>> kept)
    {
        if (!kept.TryGetValue(condition.Field, out var values)) return false;
        if (fields.TryGetValue(condition.Field, out var source) && source.Type == FieldType.Number
            && TryNumber(condition.Value, out var wanted))
            return values.Any(v => TryNumber(v, out var n) && n == wanted);
        return values.Any(v => string.Equals(v, condition.Value?.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    private static string? Option(FormField field, string text) =>
        field.Options.FirstOrDefault(o => string.Equals(o, text, StringComparison.Ordinal))
        ?? field.Options.FirstOrDefault(o => string.Equals(o.Trim(), text, StringComparison.OrdinalIgnoreCase));

    private static bool FullMatch(string text, string pattern)
    {
        try
        {
            return Regex.IsMatch(text, $"^(?:{pattern})$", RegexOptions.None, TimeSpan.FromMilliseconds(200));
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static bool TryNumber(string? text, out decimal number) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out number);

    /// <summary>A date as answers carry it and the date input takes it: "2026-11-27".</summary>
    internal static string IsoDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static bool TryParseIsoDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>The number without trailing zeros, invariant culture: "5", "2.5".</summary>
    internal static string Canonical(decimal number) =>
        (number / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}

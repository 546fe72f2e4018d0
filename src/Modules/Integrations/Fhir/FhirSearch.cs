using System.Globalization;

namespace Portal.Integrations.Fhir;

/// <summary>
/// The search parameters /fhir understands: <c>patient</c> (<c>Patient/{id}</c> or the bare id), <c>_id</c> on Patient,
/// and <c>_lastUpdated</c> with the prefixes eq, gt, ge, lt and le (repeated: all must hold). A date without a time
/// is a day in UTC. Anything else is refused with a 400 that names the parameter, never silently ignored.
/// </summary>
internal sealed class FhirSearch
{
    private static readonly string[] Prefixes = ["eq", "gt", "ge", "lt", "le"];
    private readonly List<Func<DateTimeOffset, bool>> _lastUpdated = [];

    /// <summary>The patient searched for (null when not given; <see cref="Guid.Empty"/> for an id that is none of ours).</summary>
    public Guid? Patient { get; private set; }

    public Guid? Id { get; private set; }

    /// <summary>Parses the query of <paramref name="http"/>; the refusal when a parameter is wrong or missing.</summary>
    public static (FhirSearch? Search, IResult? Refusal) Parse(HttpContext http, bool patientSearch)
    {
        var search = new FhirSearch();
        foreach (var (name, values) in http.Request.Query)
        {
            switch (name)
            {
                case "_format":
                    break;
                case "_lastUpdated":
                    foreach (var value in values)
                    {
                        if (LastUpdated(value) is { } test) search._lastUpdated.Add(test);
                        else
                            return (null, FhirResponses.BadParameter(name,
                                $"'{value}' is not a date or dateTime with an optional prefix eq, gt, ge, lt or le (e.g. ge2026-03-01)."));
                    }
                    break;
                case "patient" when !patientSearch:
                    var reference = values.ToString();
                    var bare = reference.StartsWith("Patient/", StringComparison.Ordinal) ? reference["Patient/".Length..] : reference;
                    if (values.Count != 1 || bare.Length == 0 || bare.Contains('/'))
                        return (null, FhirResponses.BadParameter(name, "Give one patient, as Patient/{id} or {id}."));
                    search.Patient = Guid.TryParse(bare, out var patient) ? patient : Guid.Empty;
                    break;
                case "_id" when patientSearch:
                    search.Id = values.Count == 1 && Guid.TryParse(values.ToString(), out var id) ? id : Guid.Empty;
                    break;
                default:
                    return (null, FhirResponses.BadParameter(name,
                        $"not supported here; this server searches by {(patientSearch ? "_id" : "patient")} and _lastUpdated."));
            }
        }
        if (!patientSearch && search.Patient is null)
            return (null, FhirResponses.BadParameter("patient", "required: search one patient's resources (patient=Patient/{id})."));
        return (search, null);
    }

    public bool Matches(DateTimeOffset? lastUpdated) =>
        _lastUpdated.Count == 0 || (lastUpdated is { } at && _lastUpdated.All(test => test(at)));

    /// <summary>A test for one _lastUpdated value: the value is an interval [from, to) at its own precision.</summary>
    private static Func<DateTimeOffset, bool>? LastUpdated(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        var prefix = value.Length > 2 && char.IsLetter(value[0]) ? value[..2] : "eq";
        if (value.Length > 2 && char.IsLetter(value[0]) && !Prefixes.Contains(prefix)) return null;
        var text = char.IsLetter(value[0]) ? value[2..] : value;
        if (Interval(text) is not var (from, to)) return null;
        return prefix switch
        {
            "gt" => at => at >= to,
            "ge" => at => at >= from,
            "lt" => at => at < from,
            "le" => at => at < to,
            _ => at => at >= from && at < to,
        };
    }

    private static (DateTimeOffset From, DateTimeOffset To)? Interval(string text)
    {
        var styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (text.Contains('T'))
        {
            string[] formats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"];
            if (!DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)) return null;
            if (text.EndsWith('T') || !(text.EndsWith('Z') || text.Contains('+') || text.LastIndexOf('-') > 10)) return null;
            var precision = text.Count(c => c == ':') == 1 ? TimeSpan.FromMinutes(1)
                : text.Contains('.') ? TimeSpan.FromTicks(1) : TimeSpan.FromSeconds(1);
            return (at, at + precision);
        }
        if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, styles, out var day)) return (day, day.AddDays(1));
        if (DateTimeOffset.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, styles, out var month)) return (month, month.AddMonths(1));
        if (DateTimeOffset.TryParseExact(text, "yyyy", CultureInfo.InvariantCulture, styles, out var year)) return (year, year.AddYears(1));
        return null;
    }
}

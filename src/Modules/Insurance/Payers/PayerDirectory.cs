namespace Portal.Insurance.Payers;

internal sealed record Payer(string Id, string Name);

/// <summary>
/// The seeded list of US health insurance payers a client picks from, plus "other" with a name the client types.
/// Data only: no payer ids from clearinghouses are implied.
/// </summary>
internal static class PayerDirectory
{
    public const string OtherId = "other";

    public static readonly IReadOnlyList<Payer> All =
    [
        new("aetna", "Aetna"),
        new("aetna-better-health", "Aetna Better Health (Medicaid)"),
        new("allegiance", "Allegiance Benefit Plan Management"),
        new("ambetter", "Ambetter (Centene)"),
        new("amerigroup", "Amerigroup"),
        new("amerihealth", "AmeriHealth"),
        new("amerihealth-caritas", "AmeriHealth Caritas"),
        new("anthem-bcbs", "Anthem Blue Cross Blue Shield"),
        new("bcbs-federal", "Blue Cross Blue Shield Federal Employee Program"),
        new("bcbs-illinois", "Blue Cross and Blue Shield of Illinois"),
        new("bcbs-massachusetts", "Blue Cross Blue Shield of Massachusetts"),
        new("bcbs-michigan", "Blue Cross Blue Shield of Michigan"),
        new("bcbs-north-carolina", "Blue Cross and Blue Shield of North Carolina"),
        new("bcbs-texas", "Blue Cross and Blue Shield of Texas"),
        new("bcbs-florida", "Florida Blue"),
        new("bcbs-other", "Blue Cross Blue Shield (other state plan)"),
        new("blue-shield-california", "Blue Shield of California"),
        new("capital-blue-cross", "Capital Blue Cross"),
        new("carefirst", "CareFirst BlueCross BlueShield"),
        new("carelon", "Carelon Behavioral Health (formerly Beacon)"),
        new("caresource", "CareSource"),
        new("cigna", "Cigna Healthcare"),
        new("evernorth", "Evernorth Behavioral Health (Cigna)"),
        new("emblemhealth", "EmblemHealth"),
        new("excellus", "Excellus BlueCross BlueShield"),
        new("fidelis", "Fidelis Care"),
        new("geisinger", "Geisinger Health Plan"),
        new("harvard-pilgrim", "Harvard Pilgrim Health Care"),
        new("health-net", "Health Net"),
        new("healthfirst", "Healthfirst"),
        new("healthpartners", "HealthPartners"),
        new("highmark", "Highmark Blue Cross Blue Shield"),
        new("horizon-bcbs-nj", "Horizon Blue Cross Blue Shield of New Jersey"),
        new("humana", "Humana"),
        new("ibx", "Independence Blue Cross"),
        new("kaiser", "Kaiser Permanente"),
        new("magellan", "Magellan Health"),
        new("medica", "Medica"),
        new("medicaid", "Medicaid (state program)"),
        new("medicare", "Medicare (Original Medicare, Part B)"),
        new("medicare-advantage", "Medicare Advantage (plan named on card)"),
        new("meritain", "Meritain Health"),
        new("molina", "Molina Healthcare"),
        new("mvp", "MVP Health Care"),
        new("optum", "Optum Behavioral Health"),
        new("oscar", "Oscar Health"),
        new("oxford", "Oxford Health Plans (UnitedHealthcare)"),
        new("point32", "Point32Health (Tufts Health Plan)"),
        new("premera", "Premera Blue Cross"),
        new("priority-health", "Priority Health"),
        new("providence", "Providence Health Plan"),
        new("regence", "Regence BlueCross BlueShield"),
        new("selecthealth", "SelectHealth"),
        new("tricare-east", "TRICARE East (Humana Military)"),
        new("tricare-west", "TRICARE West (TriWest)"),
        new("umr", "UMR"),
        new("unitedhealthcare", "UnitedHealthcare"),
        new("uhc-community-plan", "UnitedHealthcare Community Plan"),
        new("va-ccn", "VA Community Care Network"),
        new("wellcare", "WellCare"),
        new("wellmark", "Wellmark Blue Cross Blue Shield"),
        new(OtherId, "Other (type the name on your card)"),
    ];

    private static readonly Dictionary<string, Payer> ById = All.ToDictionary(p => p.Id, StringComparer.Ordinal);

    public static Payer? Find(string? id) => id is not null && ById.TryGetValue(id, out var payer) ? payer : null;

    /// <summary>Payers whose name or id contains every word of the query, best (prefix) matches first; "other" always last.</summary>
    public static IReadOnlyList<Payer> Search(string? query, int limit = 20)
    {
        var words = (query ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var matches = All
            .Where(p => p.Id != OtherId)
            .Where(p => words.All(w =>
                p.Name.Contains(w, StringComparison.OrdinalIgnoreCase) || p.Id.Contains(w, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(p => words.Length > 0 && p.Name.StartsWith(words[0], StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .Take(limit)
            .ToList();
        matches.Add(ById[OtherId]);
        return matches;
    }
}

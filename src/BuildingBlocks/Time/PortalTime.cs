using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Portal.BuildingBlocks.Time;

/// <summary>
/// The one way a date or a time is shown to a person, on pages and in emails: a date reads "Mar 4, 2026", a date and
/// time "Mar 4, 2026, 3:05 PM EST", always in the reader's zone (their own, else their practice's, else
/// <see cref="DefaultZoneId"/>). Machines still get ISO 8601 (<c>datetime</c> attributes, JSON), people never do.
/// </summary>
public static class PortalTime
{
    /// <summary>The zone of a practice that has not chosen one, and of a reader with neither zone nor practice.</summary>
    public const string DefaultZoneId = "America/New_York";

    private static readonly string[] Regions =
        ["Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"];

    private static readonly Dictionary<string, (string Standard, string Daylight)> Abbreviations = new(StringComparer.Ordinal)
    {
        ["America/New_York"] = ("EST", "EDT"), ["America/Detroit"] = ("EST", "EDT"), ["America/Toronto"] = ("EST", "EDT"),
        ["America/Indiana/Indianapolis"] = ("EST", "EDT"), ["America/Kentucky/Louisville"] = ("EST", "EDT"),
        ["America/Chicago"] = ("CST", "CDT"), ["America/Winnipeg"] = ("CST", "CDT"), ["America/Mexico_City"] = ("CST", "CST"),
        ["America/Denver"] = ("MST", "MDT"), ["America/Edmonton"] = ("MST", "MDT"), ["America/Boise"] = ("MST", "MDT"),
        ["America/Phoenix"] = ("MST", "MST"),
        ["America/Los_Angeles"] = ("PST", "PDT"), ["America/Vancouver"] = ("PST", "PDT"),
        ["America/Anchorage"] = ("AKST", "AKDT"), ["Pacific/Honolulu"] = ("HST", "HST"),
        ["America/Halifax"] = ("AST", "ADT"), ["America/Puerto_Rico"] = ("AST", "AST"), ["America/St_Johns"] = ("NST", "NDT"),
        ["Europe/London"] = ("GMT", "BST"), ["Europe/Dublin"] = ("GMT", "IST"), ["Europe/Lisbon"] = ("WET", "WEST"),
        ["Europe/Paris"] = ("CET", "CEST"), ["Europe/Berlin"] = ("CET", "CEST"), ["Europe/Madrid"] = ("CET", "CEST"),
        ["Europe/Rome"] = ("CET", "CEST"), ["Europe/Amsterdam"] = ("CET", "CEST"), ["Europe/Brussels"] = ("CET", "CEST"),
        ["Europe/Vienna"] = ("CET", "CEST"), ["Europe/Zurich"] = ("CET", "CEST"), ["Europe/Stockholm"] = ("CET", "CEST"),
        ["Europe/Oslo"] = ("CET", "CEST"), ["Europe/Copenhagen"] = ("CET", "CEST"), ["Europe/Warsaw"] = ("CET", "CEST"),
        ["Europe/Prague"] = ("CET", "CEST"), ["Europe/Athens"] = ("EET", "EEST"), ["Europe/Helsinki"] = ("EET", "EEST"),
        ["Australia/Sydney"] = ("AEST", "AEDT"), ["Australia/Melbourne"] = ("AEST", "AEDT"), ["Australia/Brisbane"] = ("AEST", "AEST"),
        ["Australia/Adelaide"] = ("ACST", "ACDT"), ["Australia/Perth"] = ("AWST", "AWST"),
        ["Pacific/Auckland"] = ("NZST", "NZDT"), ["Asia/Tokyo"] = ("JST", "JST"), ["Asia/Kolkata"] = ("IST", "IST"),
    };


    public const string DateFormat = "MMM d, yyyy";
    public const string DateTimeFormat = "MMM d, yyyy, h:mm tt";

    private static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("en-US");

    public static TimeZoneInfo DefaultZone { get; } = Find(DefaultZoneId) ?? TimeZoneInfo.Local;

    /// <summary>
    /// A date in <paramref name="culture"/> (US English when null): "Mar 4, 2026" in English, "4 mar 2026" in Spanish,
    /// the day first as every Spanish reader writes it, with the culture's month abbreviations.
    /// </summary>
    public static string Date(DateOnly day, CultureInfo? culture = null) => day.ToString(DatePattern(culture), Normal(culture));

    /// <summary>The day <paramref name="at"/> falls on in <paramref name="zone"/>, as "Mar 4, 2026" (or "4 mar 2026").</summary>
    public static string Date(DateTimeOffset at, TimeZoneInfo zone, CultureInfo? culture = null) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString(DatePattern(culture), Normal(culture));

    /// <summary>
    /// "Mar 4, 2026, 3:05 PM EST": the moment in <paramref name="zone"/>, with the zone's abbreviation; in Spanish
    /// "4 mar 2026, 3:05 p. m. EST" (the culture's own clock).
    /// </summary>
    public static string DateTime(DateTimeOffset at, TimeZoneInfo zone, CultureInfo? culture = null)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var reader = Normal(culture);
        var pattern = IsEnglish(reader) ? DateTimeFormat : $"{DatePattern(reader)}, {reader.DateTimeFormat.ShortTimePattern}";
        return $"{local.ToString(pattern, reader)} {Abbreviation(zone, local)}";
    }

    /// <summary>No culture, or the invariant one (a thread outside a request), reads US English.</summary>
    private static CultureInfo Normal(CultureInfo? culture) =>
        culture is null || culture.Equals(CultureInfo.InvariantCulture) ? Culture : culture;

    private static bool IsEnglish(CultureInfo? culture) => Normal(culture).TwoLetterISOLanguageName == "en";

    private static string DatePattern(CultureInfo? culture) => IsEnglish(culture) ? DateFormat : "d MMM yyyy";

    /// <summary>The calendar day of <paramref name="at"/> in <paramref name="zone"/> (a due date is a day in the client's zone).</summary>
    public static DateOnly Day(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    /// <summary>
    /// "EST", "PDT", "GMT", "CET"; a zone without a well-known abbreviation is named by its offset ("GMT+5:30"), so the
    /// reader still knows which clock is meant.
    /// </summary>
    public static string Abbreviation(TimeZoneInfo zone, DateTimeOffset local)
    {
        var daylight = zone.IsDaylightSavingTime(local);
        if (Abbreviations.TryGetValue(zone.Id, out var names)) return daylight ? names.Daylight : names.Standard;
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return abs == TimeSpan.Zero ? "GMT" : abs.Minutes == 0 ? $"GMT{sign}{abs.Hours}" : $"GMT{sign}{abs.Hours}:{abs.Minutes:00}";
    }

    /// <summary>A region zone this machine knows (IANA id); null for anything else.</summary>
    public static TimeZoneInfo? Find(string? id) =>
        id is { Length: > 0 and <= 64 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    /// <summary>Whether <paramref name="id"/> is one of <see cref="Zones"/>: what a person may choose.</summary>
    public static bool IsChoosable(string? id) => id is not null && ZoneIds.Value.Contains(id);

    /// <summary>
    /// The zones a person chooses from: the IANA region zones this machine knows ("America/New_York"), without the
    /// "Etc/" and legacy aliases, labelled with their place and offset today.
    /// </summary>
    public static IReadOnlyList<ZoneChoice> Zones => LazyZones.Value;

    private static readonly Lazy<IReadOnlyList<ZoneChoice>> LazyZones = new(() =>
    {
        var now = DateTimeOffset.UtcNow;
        return TimeZoneInfo.GetSystemTimeZones()
            .Where(z => Regions.Any(r => z.Id.StartsWith(r + "/", StringComparison.Ordinal)))
            .Select(z => new ZoneChoice(z.Id, $"{z.Id.Replace('_', ' ')} ({Abbreviation(z, TimeZoneInfo.ConvertTime(now, z))})"))
            .OrderBy(z => z.Id, StringComparer.Ordinal)
            .ToList();
    });

    private static readonly Lazy<HashSet<string>> ZoneIds = new(() => [.. LazyZones.Value.Select(z => z.Id)]);
}

/// <summary>One entry of the time zone select: the IANA id it saves, and what a person reads.</summary>
public sealed record ZoneChoice(string Id, string Label);

/// <summary>
/// Who reads this response, as far as dates and the practice's look go: set once per request by the host (from the
/// signed-in person's own zone, else their practice's; for a signed-out visitor, the practice named by the link).
/// </summary>
public sealed class ReaderContext
{
    public required TimeZoneInfo Zone { get; init; }

    /// <summary>The practice whose name, logo and colour the page wears; null when none is known (support, a bare sign-in).</summary>
    public Web.PracticeLook? Look { get; init; }

    public static ReaderContext Default { get; } = new() { Zone = PortalTime.DefaultZone };
}

/// <summary>
/// What pages write: <c>@Context.Date(at)</c> and <c>@Context.DateTime(at)</c>, in the reader's zone and the request's
/// culture (US English on staff pages; a client's own language, see PortalLanguages).
/// </summary>
public static class ReaderTime
{
    public static ReaderContext Reader(this HttpContext http) => http.Features.Get<ReaderContext>() ?? ReaderContext.Default;

    public static TimeZoneInfo ReaderZone(this HttpContext http) => http.Reader().Zone;

    public static string Date(this HttpContext http, DateTimeOffset at) => PortalTime.Date(at, http.ReaderZone(), CultureInfo.CurrentCulture);

    public static string Date(this HttpContext http, DateTimeOffset? at) => at is { } value ? http.Date(value) : string.Empty;

    public static string Date(this HttpContext http, DateOnly day) => PortalTime.Date(day, CultureInfo.CurrentCulture);

    public static string Date(this HttpContext http, DateOnly? day) => day is { } value ? http.Date(value) : string.Empty;

    public static string DateTime(this HttpContext http, DateTimeOffset at) =>
        PortalTime.DateTime(at, http.ReaderZone(), CultureInfo.CurrentCulture);

    public static string DateTime(this HttpContext http, DateTimeOffset? at) => at is { } value ? http.DateTime(value) : string.Empty;
}

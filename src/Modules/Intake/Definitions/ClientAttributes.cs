using Portal.BuildingBlocks.Localization;
using Portal.BuildingBlocks.Time;
using Portal.BuildingBlocks.Web;
using Portal.Contracts;
using Portal.Intake.Roster;

namespace Portal.Intake.Definitions;

/// <summary>
/// The client attributes a condition may read (<see cref="TaskCondition.Attribute"/>), with the only values each can
/// have: the builder offers these, the validator refuses others, the engine and the preview compare with them.
/// </summary>
internal static class ClientAttributeNames
{
    public const string Billing = "billing", Minor = "minor", Language = "language";
    public const string Insurance = "insurance", SelfPay = "selfPay";

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Values = new Dictionary<string, IReadOnlyList<string>>
    {
        [Billing] = [Insurance, SelfPay],
        [Minor] = ["true", "false"],
        [Language] = [.. PortalLanguages.Supported.Select(l => l.Code)],
    };

    /// <summary>The one spelling of <paramref name="value"/> among the attribute's values, or null when it is none of them.</summary>
    public static string? Known(string attribute, string? value) =>
        Values.GetValueOrDefault(attribute)?.FirstOrDefault(v => string.Equals(v, value?.Trim(), StringComparison.OrdinalIgnoreCase));

    public static string? Of(ClientBilling? billing) => billing switch
    {
        ClientBilling.Insurance => Insurance,
        ClientBilling.SelfPay => SelfPay,
        _ => null,
    };
}

/// <summary>
/// What the engine knows of a client when a task would open: billing, date of birth and language from Intake's
/// roster copy, and the practice's zone, which decides on which day a birthday falls.
/// </summary>
internal sealed record ClientAttributes(ClientBilling? Billing, DateOnly? DateOfBirth, string Language, TimeZoneInfo Zone)
{
    public const int AdultAge = 18;

    /// <summary>The attribute's value at <paramref name="at"/>, as a condition compares it; null when not known.</summary>
    public string? Value(string attribute, DateTimeOffset at) => attribute switch
    {
        ClientAttributeNames.Billing => ClientAttributeNames.Of(Billing),
        ClientAttributeNames.Minor => DateOfBirth is { } born ? IsMinor(born, PortalTime.Day(at, Zone)) ? "true" : "false" : null,
        ClientAttributeNames.Language => Language,
        _ => null,
    };

    /// <summary>Under 18 on <paramref name="day"/>: the 18th birthday is the first day as an adult.</summary>
    public static bool IsMinor(DateOnly born, DateOnly day) => day < born.AddYears(AdultAge);

    public static ClientAttributes Of(IntakeClient client, TimeZoneInfo zone) =>
        new(client.Billing, client.DateOfBirth == default ? null : client.DateOfBirth, client.Language, zone);

    /// <summary>The attributes of a client from Intake's copy, in its practice's zone (the portal's default zone without one).</summary>
    public static async Task<ClientAttributes?> LoadAsync(IQuerySession session, IPracticeLooks looks, Guid clientId,
        CancellationToken cancellation)
    {
        var client = await session.LoadAsync<IntakeClient>(clientId, cancellation);
        return client is null ? null : Of(client, await ZoneAsync(looks, client.PracticeId, cancellation));
    }

    public static async Task<TimeZoneInfo> ZoneAsync(IPracticeLooks looks, Guid practiceId, CancellationToken cancellation) =>
        PortalTime.Find((await looks.FindAsync(practiceId, cancellation))?.TimeZone) ?? PortalTime.DefaultZone;
}

using System.Security.Claims;
using Portal.Notifications.Inbox;

namespace Portal.Notifications.Preferences;

/// <summary>Kind name ("Insurance", "Assessments", ...) to "Immediate" or "DailyDigest".</summary>
/// <remarks><see cref="CareTeamEmails"/>: also email me about clients whose care team I am on (not only my own clients).</remarks>
public sealed record PreferencesView(int DigestHour, string TimeZone, Dictionary<string, string> Modes, IReadOnlyList<string> AlwaysImmediate,
    bool CareTeamEmails);

/// <remarks>A null <see cref="CareTeamEmails"/> leaves that choice as it was.</remarks>
public sealed record ChoosePreferences(int DigestHour, string TimeZone, Dictionary<string, string> Modes, bool? CareTeamEmails = null);

internal sealed class ChoosePreferencesValidator : AbstractValidator<ChoosePreferences>
{
    public ChoosePreferencesValidator()
    {
        RuleFor(x => x.DigestHour).InclusiveBetween(0, 23);
        RuleFor(x => x.TimeZone).NotEmpty().Must(zone => TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            .WithMessage("Unknown time zone; use an IANA id such as America/Chicago.");
        RuleFor(x => x.Modes).NotNull();
        RuleForEach(x => x.Modes).Must(pair => PreferenceRules.ConfigurableKind(pair.Key) is not null)
            .WithMessage((_, pair) => $"'{pair.Key}' is not a notification kind that can be chosen.")
            .Must(pair => Enum.TryParse<EmailMode>(pair.Value, ignoreCase: true, out _) && !int.TryParse(pair.Value, out _))
            .WithMessage((_, pair) => $"'{pair.Value}' is not Immediate or DailyDigest.");
    }
}

internal static class PreferenceRules
{
    /// <summary>Safety flags, break-glass and transfer notices are always emailed at once: no preference for them.</summary>
    private static bool IsConfigurable(NotificationKind kind) =>
        kind is not (NotificationKind.SafetyFlag or NotificationKind.HealthAccess or NotificationKind.CareTeam);

    public static IEnumerable<NotificationKind> Configurable => Enum.GetValues<NotificationKind>().Where(IsConfigurable);

    public static NotificationKind? ConfigurableKind(string name) =>
        Enum.TryParse<NotificationKind>(name, ignoreCase: true, out var kind) && !int.TryParse(name, out _) && IsConfigurable(kind)
            ? kind
            : null;

    public static async Task<PreferencesView> ViewAsync(IQuerySession session, Guid providerId, CancellationToken cancellation)
    {
        var preferences = await session.LoadAsync<NotificationPreferences>(providerId, cancellation) ?? NotificationPreferences.Default(providerId);
        return View(preferences);
    }

    public static async Task<PreferencesView> ChooseAsync(
        IDocumentSession session, Guid providerId, ChoosePreferences choice, CancellationToken cancellation)
    {
        var preferences = await session.LoadAsync<NotificationPreferences>(providerId, cancellation) ?? NotificationPreferences.Default(providerId);
        preferences.DigestHour = choice.DigestHour;
        preferences.TimeZone = choice.TimeZone;
        foreach (var (name, mode) in choice.Modes)
            preferences.Modes[ConfigurableKind(name)!.Value] = Enum.Parse<EmailMode>(mode, ignoreCase: true);
        if (choice.CareTeamEmails is { } careTeam) preferences.CareTeamEmails = careTeam;
        session.Store(preferences);
        return View(preferences);
    }

    private static PreferencesView View(NotificationPreferences preferences) =>
        new(preferences.DigestHour, preferences.TimeZone,
            Configurable.ToDictionary(k => k.ToString(), k => preferences.ModeFor(k).ToString()),
            [nameof(NotificationKind.SafetyFlag)], preferences.CareTeamEmails);
}

/// <summary>A provider's email preferences: per kind, immediate or in a daily digest at a chosen hour.</summary>
public sealed class PreferencesEndpoint
{
    [WolverineGet("/api/notifications/preferences")]
    [Authorize(Policy = PortalPolicies.PracticeMember)]
    public static Task<PreferencesView> Get(ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation) =>
        PreferenceRules.ViewAsync(session, ListNotificationsEndpoint.ProviderOf(principal), cancellation);

    [WolverinePut("/api/notifications/preferences")]
    [Authorize(Policy = PortalPolicies.PracticeMember)]
    public static Task<PreferencesView> Put(
        ChoosePreferences choice, ClaimsPrincipal principal, IDocumentSession session, CancellationToken cancellation) =>
        PreferenceRules.ChooseAsync(session, ListNotificationsEndpoint.ProviderOf(principal), choice, cancellation);
}

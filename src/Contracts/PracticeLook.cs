namespace Portal.Contracts;

/// <summary>
/// The owner changed how the practice presents itself (name shown to clients, time zone, accent colour, logo):
/// published with the whole look after every change, <see cref="Version"/> only grows so a stale copy is ignored.
/// </summary>
/// <param name="TimeZone">An IANA zone id ("America/New_York"): dates in the practice's emails are in it.</param>
/// <param name="AccentColor">"#1d4ed8": readable under white text (the practice module checks the contrast).</param>
/// <param name="LogoPath">The logo's versioned path on the portal's site, or null without a logo.</param>
public sealed record PracticeLookChanged(
    Guid PracticeId,
    string DisplayName,
    string TimeZone,
    string AccentColor,
    string? LogoPath,
    long Version);

/// <summary>
/// A person chose their own time zone on their account page (null: follow the practice's). Emails to them show times
/// in it. <see cref="ClientId"/> or <see cref="ProviderId"/> names whose login it is (support has neither).
/// </summary>
public sealed record AccountTimeZoneChanged(Guid AccountId, Guid? ClientId, Guid? ProviderId, string? TimeZone, DateTimeOffset At);

using Portal.Notifications.Inbox;

namespace Portal.Notifications.Preferences;

public enum EmailMode
{
    Immediate,
    DailyDigest,
}

/// <summary>A provider's choice, per kind, between an email at once and one daily digest at a chosen hour.</summary>
public sealed class NotificationPreferences
{
    public Guid Id { get; set; }
    public Dictionary<NotificationKind, EmailMode> Modes { get; set; } = [];

    /// <summary>Hour of the day (0-23) in <see cref="TimeZone"/> at which the digest is sent.</summary>
    public int DigestHour { get; set; } = 17;

    /// <summary>IANA time zone id, e.g. "America/Chicago".</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// "Also email me about clients whose care team I am on": off by default, so only the primary clinician is told
    /// unless a team member asks to be.
    /// </summary>
    public bool CareTeamEmails { get; set; }

    public static NotificationPreferences Default(Guid providerId) => new() { Id = providerId };

    /// <summary>Urgent kinds are always immediate.</summary>
    public EmailMode ModeFor(NotificationKind kind) =>
        kind == NotificationKind.SafetyFlag ? EmailMode.Immediate : Modes.GetValueOrDefault(kind, EmailMode.Immediate);

    /// <summary>The first digest hour strictly after <paramref name="now"/>, in the provider's time zone.</summary>
    public DateTimeOffset NextDigestAfter(DateTimeOffset now)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var candidate = new DateTime(local.Year, local.Month, local.Day, DigestHour, 0, 0, DateTimeKind.Unspecified);
        for (var i = 0; i < 3; i++)
        {
            var at = new DateTimeOffset(candidate, zone.GetUtcOffset(candidate));
            if (at > now) return at.ToUniversalTime();
            candidate = candidate.AddDays(1);
        }
        return new DateTimeOffset(candidate, zone.GetUtcOffset(candidate)).ToUniversalTime();
    }
}

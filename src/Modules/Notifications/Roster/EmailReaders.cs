using Portal.BuildingBlocks.Concurrency;
using Portal.BuildingBlocks.Localization;
using Portal.Notifications.Templates;

namespace Portal.Notifications.Roster;

/// <summary>This module's copy of a practice's look (<see cref="PracticeLookChanged"/>): its emails wear it.</summary>
public sealed class NotificationsPractice
{
    public Guid Id { get; set; }
    public string DisplayName { get; set; } = string.Empty;
    public string TimeZone { get; set; } = PortalTime.DefaultZoneId;
    public string AccentColor { get; set; } = EmailReader.DefaultAccentColor;
    public string? LogoPath { get; set; }
    public long Version { get; set; }
}

/// <summary>The time zone a client or member chose for themselves (keyed by their client or provider id).</summary>
public sealed class NotificationsPersonZone
{
    public Guid Id { get; set; }
    public string TimeZone { get; set; } = string.Empty;
}

public sealed class TrackPracticeLookHandler
{
    public static async Task Handle(PracticeLookChanged changed, IDocumentSession session, CancellationToken cancellation)
    {
        var copy = await EditLock.LoadLockedAsync<NotificationsPractice>(session, changed.PracticeId, cancellation) ?? new NotificationsPractice();
        if (changed.Version < copy.Version) return;
        copy.Id = changed.PracticeId;
        copy.DisplayName = changed.DisplayName;
        copy.TimeZone = changed.TimeZone;
        copy.AccentColor = changed.AccentColor;
        copy.LogoPath = changed.LogoPath;
        copy.Version = changed.Version;
        session.Store(copy);
    }
}

public sealed class TrackPersonZoneHandler
{
    public static void Handle(AccountTimeZoneChanged changed, IDocumentSession session)
    {
        foreach (var id in new[] { changed.ClientId, changed.ProviderId }.OfType<Guid>())
        {
            if (changed.TimeZone is { } zone) session.Store(new NotificationsPersonZone { Id = id, TimeZone = zone });
            else session.Delete<NotificationsPersonZone>(id);
        }
    }
}

/// <summary>
/// Who reads an email: the zone its dates are written in (the person's own, else their practice's) and the practice
/// look it wears (name, accent colour, logo). Every email's values pass through <see cref="Dress"/>.
/// </summary>
internal sealed record EmailReader(TimeZoneInfo Zone, Guid? PracticeId, string PracticeName, string AccentColor, string? LogoPath)
{
    public const string DefaultAccentColor = "#1f5f8b";

    /// <summary>The language the email is written in: a client's own ("en", "es"); English for staff and strangers.</summary>
    public string Language { get; init; } = PortalLanguages.Default;

    /// <summary>"Mar 4, 2026, 3:05 PM EST" in the reader's zone ("4 mar 2026, 3:05 p. m. EST" in Spanish).</summary>
    public string When(DateTimeOffset at) => PortalTime.DateTime(at, Zone, PortalLanguages.Culture(Language));

    /// <summary>"Mar 4, 2026": the day of <paramref name="at"/> in the reader's zone, in the reader's language.</summary>
    public string Day(DateTimeOffset at) => PortalTime.Date(at, Zone, PortalLanguages.Culture(Language));

    /// <summary>A phrase of a client email in the reader's language (<see cref="ClientText"/>).</summary>
    public string Words(string english, params object[] args) => ClientText.Translate(english, Language, args);

    /// <summary>A calendar day ("Jun 1, 2030") in the reader's language.</summary>
    public string Day(DateOnly day) => PortalTime.Date(day, PortalLanguages.Culture(Language));

    /// <summary>The practice's name, colour and logo (and its id, which brands the links) added to an email's values.</summary>
    public Dictionary<string, string> Dress(Dictionary<string, string> values)
    {
        values["practiceName"] = PracticeName;
        values["accentColor"] = AccentColor;
        if (LogoPath is not null) values["logoPath"] = LogoPath;
        if (PracticeId is { } id) values["practiceId"] = id.ToString();
        // The templates and subject follow it (EmailTemplates); English, the default, is left out.
        if (Language != PortalLanguages.Default) values[EmailTemplates.LanguageKey] = Language;
        return values;
    }
}

internal static class EmailReaders
{
    public static async Task<EmailReader> ForClientAsync(IQuerySession session, NotificationsClient client, CancellationToken cancellation) =>
        await ForAsync(session, client.PracticeId, client.PracticeName, client.Id, cancellation) with
        {
            Language = PortalLanguages.IsSupported(client.Language) ? client.Language : PortalLanguages.Default,
        };

    public static Task<EmailReader> ForProviderAsync(IQuerySession session, NotificationsProvider provider, CancellationToken cancellation) =>
        ForAsync(session, provider.PracticeId, provider.PracticeName, provider.Id, cancellation);

    /// <summary>The reader behind an address (a client first, then a member); one nobody knows reads the defaults.</summary>
    public static async Task<EmailReader> ForAddressAsync(IQuerySession session, string email, CancellationToken cancellation)
    {
        var client = await session.Query<NotificationsClient>()
            .Where(c => c.Email.Equals(email, StringComparison.OrdinalIgnoreCase))
            .FirstOrDefaultAsync(cancellation);
        if (client is { PracticeName.Length: > 0 }) return await ForClientAsync(session, client, cancellation);

        var provider = await session.Query<NotificationsProvider>()
            .Where(p => p.Email.Equals(email, StringComparison.OrdinalIgnoreCase))
            .FirstOrDefaultAsync(cancellation);
        return provider is { PracticeName.Length: > 0 }
            ? await ForProviderAsync(session, provider, cancellation)
            : await ForAsync(session, null, Recipients.DefaultPracticeName, null, cancellation);
    }

    public static async Task<EmailReader> ForAsync(IQuerySession session, Guid? practiceId, string rosterPracticeName, Guid? personId,
        CancellationToken cancellation)
    {
        var practice = practiceId is { } id && id != Guid.Empty ? await session.LoadAsync<NotificationsPractice>(id, cancellation) : null;
        var own = personId is { } person ? await session.LoadAsync<NotificationsPersonZone>(person, cancellation) : null;
        var zone = PortalTime.Find(own?.TimeZone) ?? PortalTime.Find(practice?.TimeZone) ?? PortalTime.DefaultZone;
        var name = practice is { DisplayName.Length: > 0 } ? practice.DisplayName
            : rosterPracticeName.Length > 0 ? rosterPracticeName : Recipients.DefaultPracticeName;
        return new EmailReader(zone, practiceId is { } known && known != Guid.Empty ? known : null, name,
            practice?.AccentColor ?? EmailReader.DefaultAccentColor, practice?.LogoPath);
    }
}

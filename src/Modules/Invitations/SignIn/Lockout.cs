using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Portal.Invitations.SignIn;

/// <summary>
/// When failed sign-ins lock an email out, until when, and how the lock is told. A known account's lock is kept on the
/// account (it shows in the provider's list and support's, and ends with a password reset or support's unlock); an
/// email without an active account gets the same lock here, after the same number of failures, so the answer never
/// tells whether an account exists. A password reset or an unlock forgets both.
/// </summary>
internal static class Lockout
{
    public const int After = 5;
    public static readonly TimeSpan For = TimeSpan.FromMinutes(15);

    /// <summary>Failures further apart than this do not add up to a lock.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private const int MaximumRemembered = 50_000;
    private static readonly ConcurrentDictionary<string, Failures> Unknown = new(StringComparer.Ordinal);

    private sealed record Failures(int Count, DateTimeOffset Last, DateTimeOffset? LockedUntil);

    /// <summary>Until when sign-in for an email without an active account is refused, if it is.</summary>
    public static DateTimeOffset? UnknownLockedUntil(string email, DateTimeOffset now) =>
        Unknown.TryGetValue(email, out var failures) && failures.LockedUntil > now ? failures.LockedUntil : null;

    /// <summary>Counts a failure for an email without an active account; the lock's end when this one locks it.</summary>
    public static DateTimeOffset? RecordUnknownFailure(string email, DateTimeOffset now)
    {
        if (Unknown.Count >= MaximumRemembered) ForgetExpired(now);
        var failures = Unknown.AddOrUpdate(email,
            _ => new Failures(1, now, null),
            (_, old) => old.Last + Window < now || old.LockedUntil <= now
                ? new Failures(1, now, null)
                : old with { Count = old.Count + 1, Last = now });
        if (failures.Count < After) return null;
        var until = now + For;
        Unknown[email] = failures with { LockedUntil = until };
        return until;
    }

    /// <summary>A password reset or support's unlock: whatever this host counted for the email is forgotten.</summary>
    public static void Forget(string email) => Unknown.TryRemove(email.Trim().ToLowerInvariant(), out _);

    private static void ForgetExpired(DateTimeOffset now)
    {
        foreach (var (email, failures) in Unknown)
            if (failures.Last + Window < now && !(failures.LockedUntil > now)) Unknown.TryRemove(email, out _);
    }

    /// <summary>
    /// The sign-in page's message, in the reader's language (<paramref name="text"/>, the request's): until when, in the
    /// zone the browser sent (where the person is now), else in the reader's (<paramref name="readerZone"/>: their
    /// practice's, or the portal's default).
    /// </summary>
    public static string Message(DateTimeOffset until, string? timeZone, TimeZoneInfo readerZone, IStringLocalizer text)
    {
        // Shown to the minute, rounded up, so that at the time shown the lock has ended.
        var when = PortalTime.DateTime(until.AddSeconds(59), Zone(timeZone) ?? readerZone, CultureInfo.CurrentCulture);
        return text["Too many unsuccessful attempts: sign-in to this account is locked until {0}. " +
            "Wait until then, or reset your password to unlock it now.", when];
    }

    /// <summary>An IANA (or Windows) zone id the machine knows; null for anything else.</summary>
    public static TimeZoneInfo? Zone(string? id) =>
        id is { Length: > 0 and <= 64 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
}

/// <summary>
/// The owner who has just reset their password carries a short-lived protected cookie naming the account, so that the
/// per-address request budget of the account pages (which an attacker on the same network may have spent) does not
/// keep them from signing in: with the cookie, requests count against a budget of their own.
/// </summary>
internal static class JustReset
{
    public const string CookieName = "portal.just-reset";
    private const string Purpose = "Portal.JustReset";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    public static void Remember(HttpContext http, IDataProtectionProvider protection, Guid accountId) =>
        http.Response.Cookies.Append(CookieName,
            protection.CreateProtector(Purpose).ToTimeLimitedDataProtector().Protect(accountId.ToString(), Lifetime),
            new CookieOptions
            {
                HttpOnly = true,
                Secure = http.Request.IsHttps,
                SameSite = SameSiteMode.Lax,
                Path = "/",
                MaxAge = Lifetime,
            });

    /// <summary>The account the request's cookie names, while it is valid.</summary>
    public static string? Recall(HttpContext http)
    {
        if (http.Request.Cookies[CookieName] is not { Length: > 0 and < 1000 } value) return null;
        try
        {
            var protection = http.RequestServices.GetRequiredService<IDataProtectionProvider>();
            return protection.CreateProtector(Purpose).ToTimeLimitedDataProtector().Unprotect(value);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}

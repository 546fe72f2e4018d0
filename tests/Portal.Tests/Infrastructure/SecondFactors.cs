using System.Collections.Concurrent;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpNet;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// The authenticator apps of the logins the tests enrolled (every staff login enrols at its first sign-in through the
/// helpers), by email: the TOTP secret and the recovery codes not used yet. A sign-in or step-up then types a code as
/// a person would read it from the app: the earliest step the host accepts now that the login has not used yet (a
/// code works once, and the Alba host's clock stands still until a test moves it), else a recovery code.
/// </summary>
public static class SecondFactors
{
    private sealed record Enrolled(string Secret, ConcurrentQueue<string> RecoveryCodes);

    private static readonly ConcurrentDictionary<string, Enrolled> ByEmail = new(StringComparer.OrdinalIgnoreCase);

    public static void Remember(string email, string secret, IEnumerable<string> recoveryCodes) =>
        ByEmail[email] = new Enrolled(secret, new ConcurrentQueue<string>(recoveryCodes));

    public static bool Knows(string email) => ByEmail.ContainsKey(email);

    /// <summary>The code an authenticator app with <paramref name="secret"/> shows at <paramref name="at"/>.</summary>
    public static string CodeAt(string secret, DateTimeOffset at) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(at.UtcDateTime);

    /// <summary>
    /// The code to enrol with: with a frozen clock the step before now (the window accepts it), leaving this step and
    /// the next for the sign-ins that follow.
    /// </summary>
    public static string EnrolmentCode(IServiceProvider services, string secret)
    {
        var clock = services.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow();
        return CodeAt(secret, clock is FakeTimeProvider ? now.AddSeconds(-30) : now);
    }

    /// <summary>A code the host accepts now for <paramref name="email"/>, or null when the tests never enrolled it.</summary>
    public static async Task<string?> CodeAsync(IServiceProvider services, string email)
    {
        if (!ByEmail.TryGetValue(email, out var enrolled)) return null;
        var clock = services.GetRequiredService<TimeProvider>();
        await using var session = services.GetRequiredService<IDocumentStore>().QuerySession();
        var lowered = email.ToLowerInvariant();
        var account = await session.Query<Portal.Invitations.Accounts.Account>().FirstOrDefaultAsync(a => a.Email == lowered);
        if (account is not { TotpEnabled: true }) return RecoveryCode(email);
        var step = clock.GetUtcNow().ToUnixTimeSeconds() / 30;
        // A running clock may cross into the next step before the host checks: only a frozen one uses the step before.
        long[] candidates = clock is FakeTimeProvider ? [step - 1, step, step + 1] : [step, step + 1];
        foreach (var candidate in candidates.Where(c => c > account.LastTotpStep))
            return CodeAt(enrolled.Secret, DateTimeOffset.FromUnixTimeSeconds(candidate * 30));
        return RecoveryCode(email);
    }

    /// <summary>One of the login's unused recovery codes (each works once).</summary>
    public static string RecoveryCode(string email) =>
        ByEmail.TryGetValue(email, out var enrolled) && enrolled.RecoveryCodes.TryDequeue(out var code)
            ? code
            : throw new InvalidOperationException(
                $"{email} used every authenticator code and recovery code the clock allows: move the test's clock 30 seconds on.");
}

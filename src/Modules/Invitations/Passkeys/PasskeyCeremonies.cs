using JasperFx;

namespace Portal.Invitations.Passkeys;

public enum PasskeyCeremonyPurpose
{
    /// <summary>A signed-in login adds a passkey.</summary>
    Register,
    /// <summary>Anyone signs in with a passkey alone (discoverable credentials: the account is not known yet).</summary>
    SignIn,
    /// <summary>The password was right; a passkey of that account finishes the sign-in.</summary>
    SecondFactor,
    /// <summary>A signed-in login proves its passkey again before a sensitive action.</summary>
    StepUp,
}

/// <summary>
/// One WebAuthn challenge, kept on the server: the options sent to the browser (their random challenge included), what
/// they are for, the account they are bound to (none for a passkey-only sign-in) and until when they hold. A ceremony
/// is used once: the first answer marks it, and any later answer with the same challenge is refused.
/// </summary>
public sealed class PasskeyCeremony
{
    public Guid Id { get; set; }
    public PasskeyCeremonyPurpose Purpose { get; set; }
    public Guid? AccountId { get; set; }
    public string OptionsJson { get; set; } = string.Empty;
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>What the browser gets to start a ceremony: the id to answer with and the options for <c>navigator.credentials</c>.</summary>
internal sealed record PasskeyOptions(Guid CeremonyId, System.Text.Json.JsonElement Options);

internal static class PasskeyCeremonies
{
    /// <summary>How long the browser has to answer (the person touches their authenticator within it).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public const string ExpiredMessage = "This passkey request has expired or was already used. Try again.";

    public static PasskeyOptions Start(IDocumentSession session, TimeProvider clock, PasskeyCeremonyPurpose purpose, Guid? accountId,
        string optionsJson)
    {
        var now = clock.GetUtcNow();
        // Answered or abandoned ceremonies are of no use to anyone; they go as new ones start.
        session.DeleteWhere<PasskeyCeremony>(c => c.ExpiresAt < now);
        var ceremony = new PasskeyCeremony
        {
            Id = Guid.NewGuid(), Purpose = purpose, AccountId = accountId, OptionsJson = optionsJson, ExpiresAt = now + Lifetime,
        };
        session.Store(ceremony);
        return new PasskeyOptions(ceremony.Id, RelyingParty.Json(optionsJson));
    }

    /// <summary>
    /// Takes the ceremony for one answer and commits that at once, in a session of its own, so a replay (even a
    /// concurrent one, which Marten's version check catches) finds it used whatever becomes of the answer. Null when it
    /// does not exist, has expired, was used, or is for another purpose or account.
    /// </summary>
    public static async Task<PasskeyCeremony?> TakeAsync(IQuerySession current, TimeProvider clock, Guid id,
        PasskeyCeremonyPurpose[] purposes, Guid? accountId, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        await using var session = current.DocumentStore.LightweightSession();
        var ceremony = await session.LoadAsync<PasskeyCeremony>(id, cancellation);
        if (ceremony is null || ceremony.UsedAt is not null || ceremony.ExpiresAt <= now || !purposes.Contains(ceremony.Purpose)) return null;
        if (accountId is not null && ceremony.AccountId != accountId) return null;
        ceremony.UsedAt = now;
        session.Store(ceremony);
        try
        {
            await session.SaveChangesAsync(cancellation);
        }
        catch (ConcurrencyException)
        {
            return null;
        }
        return ceremony;
    }
}

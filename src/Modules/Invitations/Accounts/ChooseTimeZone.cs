using Microsoft.Extensions.Caching.Memory;

namespace Portal.Invitations.Accounts;

/// <summary>
/// A person chooses the time zone they read dates in (any signed-in person: client, member or support), or goes back to
/// their practice's with null. Every page follows at once; emails follow through <see cref="AccountTimeZoneChanged"/>.
/// </summary>
public sealed record ChooseTimeZoneRequest(string? TimeZone);

internal sealed record TimeZoneView(string? TimeZone, string ShownIn);

internal sealed class ChooseTimeZoneValidator : AbstractValidator<ChooseTimeZoneRequest>
{
    public ChooseTimeZoneValidator() =>
        RuleFor(r => r.TimeZone).Must(zone => zone is null || PortalTime.IsChoosable(zone))
            .WithMessage("Choose a time zone from the list, or your practice's.");
}

public static class ChooseTimeZoneEndpoints
{
    [WolverineGet("/api/account/time-zone")]
    [Authorize]
    public static async Task<IResult> Get(HttpContext http, IQuerySession session)
    {
        var account = await session.LoadAsync<Account>(CurrentUser.From(http.User)!.UserId);
        return account is null
            ? Refusal.NotFound("account").ToProblem(http)
            : Results.Ok(new TimeZoneView(account.TimeZone, http.ReaderZone().Id));
    }

    [WolverinePut("/api/account/time-zone")]
    [Authorize]
    public static async Task<(IResult, OutgoingMessages)> Put(ChooseTimeZoneRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock, IPersonalTimeZones zones)
    {
        var (outcome, messages) = await ChooseTimeZone.ExecuteAsync(request, http, session, clock, zones);
        return (outcome.ToResult(http), messages);
    }
}

internal static class ChooseTimeZone
{
    public static async Task<(Outcome<TimeZoneView>, OutgoingMessages)> ExecuteAsync(ChooseTimeZoneRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock, IPersonalTimeZones zones)
    {
        var account = await session.LoadAsync<Account>(CurrentUser.From(http.User)!.UserId);
        if (account is null) return (Refusal.NotFound("account"), []);
        account.TimeZone = string.IsNullOrEmpty(request.TimeZone) ? null : request.TimeZone;
        session.Store(account);
        (zones as PersonalTimeZones)?.Forget(account.Id);
        Audit.Record(session, http, clock, "account.time-zone", "Account", account.Id.ToString(), account.ClientId,
            account.TimeZone ?? "practice's");
        var shownIn = account.TimeZone ?? http.Reader().Look?.TimeZone ?? PortalTime.DefaultZoneId;
        return (new TimeZoneView(account.TimeZone, shownIn),
            [new AccountTimeZoneChanged(account.Id, account.ClientId, account.ProviderId, account.TimeZone, clock.GetUtcNow())]);
    }
}

/// <summary>Each person's chosen zone for the host (<see cref="IPersonalTimeZones"/>), kept a minute in memory.</summary>
internal sealed class PersonalTimeZones(IDocumentStore store, IMemoryCache cache) : IPersonalTimeZones
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(1);

    public async ValueTask<string?> FindAsync(Guid accountId, CancellationToken cancellation)
    {
        if (cache.TryGetValue(Key(accountId), out string? known)) return known;
        await using var session = store.QuerySession();
        var account = await session.LoadAsync<Account>(accountId, cancellation);
        if (account is null) return null;
        return cache.Set(Key(accountId), account.TimeZone, KeepFor);
    }

    public void Forget(Guid accountId) => cache.Remove(Key(accountId));

    private static string Key(Guid accountId) => $"account-zone:{accountId}";
}

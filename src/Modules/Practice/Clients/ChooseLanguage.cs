using Microsoft.Extensions.Caching.Memory;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Concurrency;
using Portal.BuildingBlocks.Localization;
using Portal.Practice.Roster;

namespace Portal.Practice.Clients;

/// <summary>
/// The language a client reads the portal and its emails in ("en", "es"): the client chooses it on their account page
/// (<c>PUT /api/portal/language</c>), the practice sets it when adding the client or later
/// (<c>PUT /api/console/clients/{id}/language</c>). Pages follow at once; every module's copy through the roster change.
/// </summary>
public sealed record ChooseLanguageRequest(string Language);

internal sealed record LanguageView(Guid ClientId, string Language);

internal sealed class ChooseLanguageValidator : AbstractValidator<ChooseLanguageRequest>
{
    public ChooseLanguageValidator() =>
        RuleFor(r => r.Language).Must(PortalLanguages.IsSupported)
            .WithMessage($"Choose one of the portal's languages: {string.Join(", ", PortalLanguages.Supported.Select(l => l.Code))}.");
}

public static class ChooseLanguageEndpoints
{
    /// <summary>The signed-in client's own language (a contact acting for a client keeps their browser's).</summary>
    [WolverinePut("/api/portal/language")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<(IResult, OutgoingMessages)> PutOwn(ChooseLanguageRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock, IClientLanguages languages)
    {
        var user = CurrentUser.From(http.User)!;
        if (user.IsContact || user.ClientId is not { } clientId)
            return (Refusal.Forbidden("Only the client chooses their own language.").ToProblem(http), []);
        var (outcome, messages) = await ChooseLanguage.ExecuteAsync(clientId, request, http, session, clock, languages);
        return (outcome.ToResult(http), messages);
    }

    [WolverinePut("/api/console/clients/{clientId}/language")]
    [Authorize(Policy = PortalPolicies.FrontOffice)]
    public static async Task<(IResult, OutgoingMessages)> PutForClient(Guid clientId, ChooseLanguageRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock, IClientLanguages languages)
    {
        var (outcome, messages) = await ChooseLanguage.ExecuteAsync(clientId, request, http, session, clock, languages);
        return (outcome.ToResult(http), messages);
    }
}

internal static class ChooseLanguage
{
    public static async Task<(Outcome<LanguageView>, OutgoingMessages)> ExecuteAsync(Guid clientId, ChooseLanguageRequest request,
        HttpContext http, IDocumentSession session, TimeProvider clock, IClientLanguages languages)
    {
        var user = CurrentUser.From(http.User)!;
        var client = await EditLock.LoadLockedAsync<RosterClient>(session, clientId, http.RequestAborted);
        if (client is null || !ClientCard.IsVisibleTo(user, client.Id, client.PracticeId, client.ProviderId, client.CareTeam))
            return (Refusal.NotFound("client"), []);
        if (client.Language == request.Language) return (new LanguageView(client.Id, client.Language), []);
        client.Language = request.Language;
        var changed = client.Changed();
        session.Store(client);
        (languages as ClientLanguages)?.Forget(client.Id);
        Audit.Record(session, http, clock, "client.language", "RosterClient", client.Id.ToString(), client.Id, client.Language);
        return (new LanguageView(client.Id, client.Language), [changed]);
    }
}

/// <summary>Each client's language for the host (<see cref="IClientLanguages"/>), kept a minute in memory like the looks.</summary>
internal sealed class ClientLanguages(IDocumentStore store, IMemoryCache cache) : IClientLanguages
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(1);

    public async ValueTask<string?> FindAsync(Guid clientId, CancellationToken cancellation)
    {
        if (cache.TryGetValue(Key(clientId), out string? known)) return known;
        await using var session = store.QuerySession();
        var client = await session.LoadAsync<RosterClient>(clientId, cancellation);
        return client is null ? null : cache.Set(Key(clientId), client.Language, KeepFor);
    }

    public void Forget(Guid clientId) => cache.Remove(Key(clientId));

    private static string Key(Guid clientId) => $"client-language:{clientId}";
}

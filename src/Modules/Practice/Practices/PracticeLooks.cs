using System.Globalization;
using Microsoft.Extensions.Caching.Memory;
using Portal.Practice.Roster;

namespace Portal.Practice.Practices;

/// <summary>
/// A practice's look for the host's pages (<see cref="IPracticeLooks"/>), kept a minute in memory since every page asks
/// for it; a change on this node forgets it at once, another node's copy follows within the minute.
/// </summary>
internal sealed class PracticeLooks(IDocumentStore store, IMemoryCache cache) : IPracticeLooks
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(1);

    public async ValueTask<PracticeLook?> FindAsync(Guid practiceId, CancellationToken cancellation)
    {
        if (cache.TryGetValue(Key(practiceId), out PracticeLook? known)) return known;
        await using var session = store.QuerySession();
        var practice = await session.LoadAsync<RosterPractice>(practiceId, cancellation);
        if (practice is null) return null;
        // Only known practices are kept, so made-up ids in links cannot fill the memory.
        return cache.Set(Key(practiceId), Of(practice), KeepFor);
    }

    public void Forget(Guid practiceId) => cache.Remove(Key(practiceId));

    private static string Key(Guid practiceId) => $"practice-look:{practiceId}";

    public static PracticeLook Of(RosterPractice practice) => new(practice.Id, practice.ShownName, practice.TimeZone,
        practice.AccentColor, LogoPath(practice), StylesheetPath(practice));

    public static string? LogoPath(RosterPractice practice) =>
        practice.LogoVersion is { } version ? $"/practice-looks/{practice.Id}/logo/{version}" : null;

    public static string StylesheetPath(RosterPractice practice) =>
        $"/practice-looks/{practice.Id}/accent/{practice.AccentColor.TrimStart('#')}";

    /// <summary>Stores the changed practice, forgets its cached look, and gives the message that tells the other modules.</summary>
    public static PracticeLookChanged Changed(RosterPractice practice, IDocumentSession session, IPracticeLooks looks)
    {
        practice.LookVersion++;
        session.Store(practice);
        (looks as PracticeLooks)?.Forget(practice.Id);
        return new PracticeLookChanged(practice.Id, practice.ShownName, practice.TimeZone, practice.AccentColor, LogoPath(practice),
            practice.LookVersion);
    }
}

/// <summary>
/// The logo and the accent stylesheet, for anyone (the sign-in pages and emails show them before anyone signs in): a
/// practice's name, logo and colour are what it shows the public. Both addresses change with their content, so they
/// are cached for a year.
/// </summary>
public static class ServePracticeLookEndpoints
{
    private const string CacheForever = "public, max-age=31536000, immutable";

    [WolverineGet("/practice-looks/{practiceId}/logo/{version}")]
    [AllowAnonymous]
    public static async Task<IResult> Logo(Guid practiceId, string version, HttpContext http, IQuerySession session)
    {
        var logo = await session.LoadAsync<PracticeLogo>(practiceId);
        if (logo is null || logo.Version != version) return Refusal.NotFound("logo").ToProblem(http);
        http.Response.Headers.CacheControl = CacheForever;
        return Results.Bytes(logo.Content, logo.ContentType);
    }

    [WolverineGet("/practice-looks/{practiceId}/accent/{color}")]
    [AllowAnonymous]
    public static IResult Stylesheet(Guid practiceId, string color, HttpContext http)
    {
        if (!PracticeLookValidator.HexColor().IsMatch("#" + color)) return Refusal.NotFound("stylesheet").ToProblem(http);
        http.Response.Headers.CacheControl = CacheForever;
        // The colour is in the address, so the sheet needs no lookup; the practice id keeps addresses per practice.
        var css = string.Create(CultureInfo.InvariantCulture,
            $":root {{ --accent: #{color.ToLowerInvariant()}; --accent-ink: #ffffff; }}\n");
        return Results.Text(css, "text/css");
    }
}

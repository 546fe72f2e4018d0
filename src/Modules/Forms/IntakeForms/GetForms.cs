using System.Security.Claims;

namespace Portal.Forms.IntakeForms;

internal sealed record FormSummary(
    Guid FormId, string Title, int? LatestVersion, int Revision, DateTimeOffset UpdatedAt, DateTimeOffset? WithdrawnAt);

internal sealed record FormVersionView(int Number, string Title, DateTimeOffset PublishedAt, FormSchema Schema)
{
    /// <summary>The version's words in other languages, by language code.</summary>
    public IReadOnlyDictionary<string, FormTranslation> Translations { get; init; } = new Dictionary<string, FormTranslation>();
}

internal sealed record FormDetail(Guid FormId, string Title, FormSchema Schema, int Revision, IReadOnlyList<FormVersionView> Versions,
    DateTimeOffset? WithdrawnAt)
{
    /// <summary>The working schema's words in other languages, by language code (Spanish: "es").</summary>
    public IReadOnlyDictionary<string, FormTranslation> Translations { get; init; } = new Dictionary<string, FormTranslation>();
}

public static class GetFormsEndpoint
{
    [WolverineGet("/api/forms"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> List(ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation) =>
        Results.Ok(await ListAsync(principal, session, cancellation));

    [WolverineGet("/api/forms/{formId}"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Get(Guid formId, HttpContext http, IQuerySession session) =>
        (await DetailAsync(formId, http.User, session, http.RequestAborted)).ToResult(http);

    internal static async Task<IReadOnlyList<FormSummary>> ListAsync(ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation)
    {
        var owner = FormsAccess.Owner(CurrentUser.From(principal));
        if (owner is null) return [];
        var forms = await session.Query<IntakeForm>()
            .Where(f => f.PracticeId == owner.Value.PracticeId)
            .OrderBy(f => f.Title)
            .ToListAsync(cancellation);
        return forms.Select(f => new FormSummary(f.Id, f.Title, f.Latest?.Number, f.Revision, f.UpdatedAt, f.WithdrawnAt)).ToList();
    }

    internal static async Task<Outcome<FormDetail>> DetailAsync(
        Guid formId, ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation)
    {
        var form = await session.LoadAsync<IntakeForm>(formId, cancellation);
        if (form is null || !FormsAccess.CanManage(CurrentUser.From(principal), form.PracticeId, form.ProviderId))
            return Refusal.NotFound(IntakeForm.Noun);
        return new FormDetail(form.Id, form.Title, form.Schema, form.Revision,
            form.Versions.OrderByDescending(v => v.Number)
                .Select(v => new FormVersionView(v.Number, v.Title, v.PublishedAt, v.Schema) { Translations = v.Translations }).ToList(),
            form.WithdrawnAt)
        {
            Translations = form.Translations,
        };
    }
}

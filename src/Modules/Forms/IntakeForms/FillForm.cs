using System.Security.Claims;
using Portal.BuildingBlocks.Localization;

namespace Portal.Forms.IntakeForms;

internal sealed record ClientFormSummary(Guid FormId, string Title, int LatestVersion, bool HasDraft, DateTimeOffset? LastSubmittedAt);

/// <summary>A form as the client fills it: the latest published version's schema and their draft answers to it.</summary>
internal sealed record FormToFill(Guid FormId, int Version, string Title, FormSchema Schema, IReadOnlyDictionary<string, List<string>> Draft,
    DateTimeOffset? DraftSavedAt)
{
    /// <summary>The language of the words shown: the reader's where the version has them, else English ("en").</summary>
    public string Language { get; init; } = PortalLanguages.English;

    /// <summary>The words of <see cref="Language"/>, for choice labels; null in English (a choice reads as its value).</summary>
    internal FormTranslation? Words { get; init; }

    public string OptionLabel(string fieldKey, string value) => Words?.OptionLabel(fieldKey, value) ?? value;
}

public static class FillFormEndpoint
{
    [WolverineGet("/api/portal/forms"), Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> List(HttpContext http, IQuerySession session) =>
        (await ListAsync(http.User, session, http.RequestAborted)).ToResult(http);

    [WolverineGet("/api/portal/forms/{formId}"), Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Get(Guid formId, HttpContext http, IQuerySession session) =>
        (await LoadAsync(formId, http.User, session, http.RequestAborted)).ToResult(http);

    /// <summary>
    /// The published forms of the client's practice. A withdrawn form is listed only when the client has a draft of it
    /// or sent it before, so that what they started or sent does not vanish.
    /// </summary>
    internal static async Task<Outcome<IReadOnlyList<ClientFormSummary>>> ListAsync(ClaimsPrincipal principal, IQuerySession session,
        CancellationToken cancellation)
    {
        var card = await FormsAccess.SignedInClientAsync(session, principal, cancellation);
        if (card is null) return Refusal.NotFound("client");
        var forms = await session.Query<IntakeForm>().Where(f => f.PracticeId == card.PracticeId).ToListAsync(cancellation);
        var drafts = await session.Query<FormDraft>().Where(d => d.ClientId == card.Id).ToListAsync(cancellation);
        var responses = await session.Query<FormResponse>().Where(r => r.ClientId == card.Id).ToListAsync(cancellation);
        var withdrawn = forms.Where(f => f.WithdrawnAt is not null).Select(f => f.Id).ToHashSet();
        IReadOnlyList<ClientFormSummary> list = forms
            .Where(f => f.Latest is not null)
            .OrderBy(f => f.Latest!.Title)
            .Select(f => new ClientFormSummary(f.Id,
                f.Latest!.In(PortalLanguages.Current)?.Title ?? f.Latest.Title, f.Latest.Number, drafts.Any(d => d.FormId == f.Id),
                responses.Where(r => r.FormId == f.Id).Select(r => (DateTimeOffset?)r.SubmittedAt).Max()))
            .Where(f => !withdrawn.Contains(f.FormId) || f.HasDraft || f.LastSubmittedAt is not null)
            .ToList();
        return Outcome<IReadOnlyList<ClientFormSummary>>.Ok(list);
    }

    /// <summary>
    /// The latest published version of a form of the client's practice, with their draft of that version. A withdrawn
    /// form can still be filled in: a task given before the withdrawal may ask for it.
    /// </summary>
    internal static async Task<Outcome<FormToFill>> LoadAsync(
        Guid formId, ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation)
    {
        var card = await FormsAccess.SignedInClientAsync(session, principal, cancellation);
        var form = await session.LoadAsync<IntakeForm>(formId, cancellation);
        if (card is null || form?.Latest is null || form.PracticeId != card.PracticeId) return Refusal.NotFound(IntakeForm.Noun);
        var version = form.Latest;
        var draft = await session.Query<FormDraft>()
            .Where(d => d.ClientId == card.Id && d.FormId == formId && d.FormVersion == version.Number)
            .FirstOrDefaultAsync(cancellation);
        // Someone else's answers are results: a contact without "see results" starts from an empty form.
        var user = CurrentUser.From(principal)!;
        if (draft is not null && !user.MaySeeResults && draft.SavedBy != user.UserId) draft = null;
        // The reader's language where the practice translated this version; keys and choice values are the same in all.
        var words = version.In(PortalLanguages.Current);
        return new FormToFill(form.Id, version.Number, words?.Title ?? version.Title, words?.Apply(version.Schema) ?? version.Schema,
            draft?.Answers ?? [], draft?.UpdatedAt)
        {
            Language = words is null ? PortalLanguages.English : PortalLanguages.Current,
            Words = words,
        };
    }

    /// <summary>The published version a client may answer, or null.</summary>
    internal static async Task<(Roster.FormsClient Card, IntakeForm Form, FormVersion Version)?> VersionForClientAsync(Guid formId, int version,
        ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation)
    {
        var card = await FormsAccess.SignedInClientAsync(session, principal, cancellation);
        var form = await session.LoadAsync<IntakeForm>(formId, cancellation);
        if (card is null || form is null || form.PracticeId != card.PracticeId) return null;
        return form.Version(version) is { } found ? (card, form, found) : null;
    }
}

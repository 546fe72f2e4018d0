using Portal.Forms.Roster;

namespace Portal.Forms.IntakeForms;

internal sealed record FormResponseSummary(Guid ResponseId, Guid FormId, string FormTitle, int FormVersion, DateTimeOffset SubmittedAt)
{
    /// <summary>The language the client was shown the form in ("en", "es").</summary>
    public string Language { get; init; } = "en";
}

internal sealed record AnsweredField(string Key, string Label, IReadOnlyList<string> Answer);

internal sealed record AnsweredSection(string Title, IReadOnlyList<AnsweredField> Fields);

/// <summary>A response laid out by the version it answered: every kept answer under its section and label.</summary>
internal sealed record FormResponseDetail(Guid ResponseId, Guid ClientId, string ClientName, Guid FormId, string FormTitle, int FormVersion,
    DateTimeOffset SubmittedAt, IReadOnlyList<AnsweredSection> Sections)
{
    /// <summary>The language the client was shown the form in ("en", "es"); labels here are the English ones.</summary>
    public string Language { get; init; } = "en";
}

public static class GetFormResponsesEndpoint
{
    [WolverineGet("/api/clients/{clientId}/form-responses"), Authorize(Policy = PortalPolicies.Staff)]
    public static async Task<IResult> List(Guid clientId, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        (await ListAsync(clientId, new SliceContext(http, session, clock))).ToResult(http);

    [WolverineGet("/api/form-responses/{responseId}"), Authorize(Policy = PortalPolicies.Staff)]
    public static async Task<IResult> Get(Guid responseId, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        (await DetailAsync(responseId, new SliceContext(http, session, clock))).ToResult(http);

    internal static async Task<Outcome<IReadOnlyList<FormResponseSummary>>> ListAsync(Guid clientId, SliceContext context)
    {
        var card = await FormsAccess.HealthOfClientAsync(context, clientId);
        if (!card.Succeeded) return card.Refusal;
        var responses = await context.Session.Query<FormResponse>().Where(r => r.ClientId == clientId)
            .OrderByDescending(r => r.SubmittedAt).ToListAsync(context.Cancellation);
        return Outcome<IReadOnlyList<FormResponseSummary>>.Ok(
            responses.Select(r => new FormResponseSummary(r.Id, r.FormId, r.FormTitle, r.FormVersion, r.SubmittedAt) { Language = r.Language })
                .ToList());
    }

    /// <summary>The answers of one response, when the caller may see its client; the read is audited.</summary>
    internal static async Task<Outcome<FormResponseDetail>> DetailAsync(Guid responseId, SliceContext context)
    {
        var (session, cancellation) = (context.Session, context.Cancellation);
        var user = context.User;
        var response = await session.LoadAsync<FormResponse>(responseId, cancellation);
        var card = response is null ? null : await session.LoadAsync<FormsClient>(response.ClientId, cancellation);
        if (response is null || card is null || user is null || !card.IsVisibleTo(user)) return Refusal.NotFound("form response");
        if (await FormsAccess.HealthVisibleAsync(context, card) is { } hidden) return hidden;

        var form = await session.LoadAsync<IntakeForm>(response.FormId, cancellation);
        var schema = form?.Version(response.FormVersion)?.Schema ?? new FormSchema();
        context.Audit("forms.response.read", nameof(FormResponse), response.Id.ToString(), response.ClientId);
        await session.SaveChangesAsync(cancellation);

        var sections = schema.Sections
            .Select(s => new AnsweredSection(s.Title, s.Fields.Where(f => response.Answers.ContainsKey(f.Key))
                .Select(f => new AnsweredField(f.Key, f.Label, response.Answers[f.Key])).ToList()))
            .Where(s => s.Fields.Count > 0)
            .ToList();
        return new FormResponseDetail(response.Id, response.ClientId, card.DisplayName, response.FormId, response.FormTitle, response.FormVersion,
            response.SubmittedAt, sections)
        {
            Language = response.Language,
        };
    }
}

namespace Portal.Forms.Assessments;

internal sealed record AssessmentResultView(Guid Id, string Instrument, string InstrumentName, int Score, int MaxScore, string Severity,
    bool SafetyFlag, IReadOnlyList<int> Answers, DateTimeOffset CompletedAt)
{
    /// <summary>The language of the wording the client answered ("en", "es").</summary>
    public string Language { get; init; } = "en";
}

internal sealed record AssessmentScheduleView(Guid Id, string Instrument, string InstrumentName, int EveryWeeks, int Occurrence,
    DateTimeOffset? LastRequestedAt, DateTimeOffset NextDueAt);

internal sealed record ClientAssessmentsView(
    Guid ClientId, IReadOnlyList<AssessmentResultView> Results, IReadOnlyList<AssessmentScheduleView> Schedules);

public static class GetAssessmentResultsEndpoint
{
    [Microsoft.AspNetCore.Mvc.ProducesResponseType<ClientAssessmentsView>(StatusCodes.Status200OK)]
    [Microsoft.AspNetCore.Mvc.ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(
        StatusCodes.Status404NotFound, "application/problem+json")]
    [WolverineGet("/api/clients/{clientId}/assessments"), Authorize(Policy = PortalPolicies.Staff)]
    public static async Task<IResult> Get(Guid clientId, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        (await LoadAsync(clientId, new SliceContext(http, session, clock))).ToResult(http);

    /// <summary>Every result of the client, oldest first, and their recurring schedules; the read is audited.</summary>
    internal static async Task<Outcome<ClientAssessmentsView>> LoadAsync(Guid clientId, SliceContext context)
    {
        var (session, cancellation) = (context.Session, context.Cancellation);
        var card = await FormsAccess.HealthOfClientAsync(context, clientId);
        if (!card.Succeeded) return card.Refusal;

        var results = await session.Query<AssessmentResult>().Where(r => r.ClientId == clientId)
            .OrderBy(r => r.CompletedAt).ToListAsync(cancellation);
        var schedules = await session.Query<AssessmentSchedule>().Where(s => s.ClientId == clientId && s.Active)
            .ToListAsync(cancellation);
        context.Audit("forms.assessment.read", nameof(AssessmentResult), null, clientId);
        await session.SaveChangesAsync(cancellation);

        return new ClientAssessmentsView(clientId,
            results.Select(r => ToView(r)).ToList(),
            schedules.Select(s => new AssessmentScheduleView(s.Id, s.Instrument, Instruments.Find(s.Instrument)?.Name ?? s.Instrument,
                s.EveryWeeks, s.Occurrence, s.LastRequestedAt, s.NextDueAt)).ToList());
    }

    internal static AssessmentResultView ToView(AssessmentResult r)
    {
        var instrument = Instruments.Find(r.Instrument);
        return new AssessmentResultView(r.Id, r.Instrument, instrument?.Name ?? r.Instrument, r.Score, instrument?.MaxTotal ?? r.Score,
            r.Severity, r.SafetyFlag, r.Answers, r.CompletedAt) { Language = r.Language };
    }
}

public static class GetAssessmentChartEndpoint
{
    /// <summary>The client's scores on one instrument over time, as an SVG image drawn on the server.</summary>
    [WolverineGet("/api/clients/{clientId}/assessments/{instrument}/chart.svg"), Authorize(Policy = PortalPolicies.Staff)]
    public static async Task<IResult> Get(Guid clientId, string instrument, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var known = Instruments.Find(instrument);
        var view = known is null ? null : await GetAssessmentResultsEndpoint.LoadAsync(clientId, new SliceContext(http, session, clock));
        if (view is { Succeeded: false, Refusal.Status: StatusCodes.Status403Forbidden }) return view.Refusal.ToProblem(http);
        if (known is null || view is not { Succeeded: true }) return Refusal.NotFound("chart").ToProblem(http);
        return Results.Text(TrendChart.Render(known, view.Value!.Results.Where(r => r.Instrument == known.Code).ToList(),
            http.ReaderZone()), "image/svg+xml");
    }
}

using Microsoft.AspNetCore.Mvc.ViewComponents;
using Portal.Forms.Assessments;
using Portal.Forms.Documents;
using Portal.Forms.IntakeForms;

namespace Portal.Forms.Pages.Console.Clients;

/// <summary>The client profile's section for signed documents, form answers and assessment scores with trend charts.</summary>
public sealed class FormsProfileSection(IDocumentSession session, TimeProvider clock) : ClientProfileSection
{
    public override int Order => 30;

    internal sealed record ChartView(Instrument Instrument, string Svg, IReadOnlyList<AssessmentResultView> Results);

    internal sealed record SectionView(Guid ClientId, IReadOnlyList<ClientSignatureSummary> Signatures, IReadOnlyList<FormResponseSummary> Responses,
        IReadOnlyList<ChartView> Charts, IReadOnlyList<AssessmentScheduleView> Schedules, Refusal? HealthHidden = null);

    public async Task<IViewComponentResult> InvokeAsync(Guid clientId)
    {
        // Clinical content: the owner and the client's clinicians, and support (under a grant, below); no other role.
        if (CurrentUser.From(HttpContext.User) is not ({ IsClinical: true } or { IsSupport: true })) return Content(string.Empty);
        var context = new SliceContext(HttpContext, session, clock);
        var signatures = (await GetClientSignaturesEndpoint.ListAsync(clientId, context)).Value;
        if (signatures is null) return Content(string.Empty);
        // Support without a break-glass grant sees which documents were signed (portal status), not answers or scores.
        var hidden = (await FormsAccess.HealthOfClientAsync(context, clientId)).Refusal;
        if (hidden is not null)
            return View("/Pages/Console/Clients/_FormsProfileSection.cshtml", new SectionView(clientId, signatures, [], [], [], hidden));
        var responses = (await GetFormResponsesEndpoint.ListAsync(clientId, context)).Value ?? [];
        var assessments = (await GetAssessmentResultsEndpoint.LoadAsync(clientId, context)).Value;
        var charts = Instruments.All.Select(i =>
        {
            var results = assessments?.Results.Where(r => r.Instrument == i.Code).ToList() ?? [];
            return new ChartView(i, TrendChart.Render(i, results, HttpContext.ReaderZone()), results);
        }).ToList();
        return View("/Pages/Console/Clients/_FormsProfileSection.cshtml",
            new SectionView(clientId, signatures, responses, charts, assessments?.Schedules ?? []));
    }
}

using Portal.Forms.Assessments;

namespace Portal.Forms.Pages.Portal.Assessments;

[Authorize(Policy = PortalPolicies.Client)]
public sealed class IndexModel(IQuerySession session) : PageModel
{
    internal sealed record Item(Instrument Instrument, bool Due, DateTimeOffset? LastCompletedAt);

    internal IReadOnlyList<Item> Items { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        var card = await FormsAccess.SignedInClientAsync(session, User, cancellation);
        if (card is null) return NotFound();
        var results = await session.Query<AssessmentResult>().Where(r => r.ClientId == card.Id).ToListAsync(cancellation);
        var schedules = await session.Query<AssessmentSchedule>().Where(s => s.ClientId == card.Id && s.Active).ToListAsync(cancellation);
        Items = Instruments.All.Select(i =>
        {
            var last = results.Where(r => r.Instrument == i.Code).Select(r => (DateTimeOffset?)r.CompletedAt).Max();
            var due = schedules.Any(s => s.Instrument == i.Code && s.LastRequestedAt is { } requested && (last is null || last < requested));
            return new Item(i, due, last);
        }).ToList();
        return Page();
    }
}

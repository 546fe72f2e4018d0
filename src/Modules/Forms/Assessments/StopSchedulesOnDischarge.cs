namespace Portal.Forms.Assessments;

/// <summary>
/// A discharge stops the client's recurring assessments: their timers find the schedule inactive and do nothing.
/// A re-open does not restart them; the provider schedules again if the client comes back to treatment.
/// </summary>
internal static class StopSchedulesOnDischarge
{
    public static async Task StopAsync(IDocumentSession session, Guid clientId, CancellationToken cancellation)
    {
        var active = await session.Query<AssessmentSchedule>().Where(s => s.ClientId == clientId && s.Active).ToListAsync(cancellation);
        foreach (var schedule in active)
        {
            schedule.Active = false;
            session.Store(schedule);
        }
    }
}

using Portal.BuildingBlocks.Records;
using Portal.Intake.Engine;

namespace Portal.Intake.Assignments;

/// <summary>Tasks in a client's export: every assignment with its tasks, their outcomes and reminders, and how it ended.</summary>
internal sealed class IntakeRecordExport(IQuerySession session) : IClientRecordExport
{
    public string Module => "intake";

    public async Task WriteAsync(Guid clientId, ClientRecordArchive archive, CancellationToken cancellation)
    {
        var assignments = await session.Query<IntakeAssignment>().Where(a => a.ClientId == clientId).OrderBy(a => a.AssignedAt)
            .ToListAsync(cancellation);
        await archive.AddJsonAsync($"{Module}.json", new
        {
            Assignments = assignments.Select(a => new
            {
                a.Id, a.WorkflowName, a.DefinitionVersion, a.Status, a.AssignedAt, a.EndedAt, a.CancelReason,
                Tasks = a.Tasks.Select(t => new
                {
                    t.TaskId, t.Kind, t.Title, t.Status, t.RequestedAt, t.DueAt, t.Overdue, t.RemindersSent, t.DoneAt, t.SkipReason,
                }),
            }),
        }, cancellation);
    }
}

using Microsoft.AspNetCore.Mvc;
using Portal.BuildingBlocks.Auditing;
using Portal.Intake.Assignments;
using Portal.Intake.Engine;
using Portal.Intake.Roster;

namespace Portal.Intake.Console;

/// <summary>
/// The intake section of a client's profile: each assignment with its progress and latest events. For the roles that
/// request and follow tasks (owner, clinician, front desk) and support; nothing for the biller.
/// </summary>
[ViewComponent(Name = "IntakeSection")]
public sealed class IntakeSection(IDocumentSession session, TimeProvider clock) : ClientProfileSection
{
    public override int Order => 20;

    public async Task<IViewComponentResult> InvokeAsync(Guid clientId)
    {
        var cancellation = HttpContext.RequestAborted;
        if (CurrentUser.From(HttpContext.User) is not ({ HandlesFrontOffice: true } or { IsSupport: true })) return Content(string.Empty);
        if (await AssignmentAccess.VisibleClientAsync(session, clientId, HttpContext.User, cancellation) is null)
        {
            // A client added a moment ago may not have reached this module's roster copy yet: their provider still
            // gets the way to ask them for something (that page waits for the copy); nothing about the client is shown.
            var justAdded = CurrentUser.From(HttpContext.User) is { IsProvider: true }
                            && await session.LoadAsync<IntakeClient>(clientId, cancellation) is null;
            return justAdded ? View(new IntakeSectionModel(clientId, [])) : Content(string.Empty);
        }
        var assignments = await GetAssignments.ForClientAsync(session, clientId, cancellation);
        var timelines = new List<(IntakeAssignment, IReadOnlyList<TimelineEntry>)>();
        foreach (var assignment in assignments)
            timelines.Add((assignment, await GetAssignments.TimelineAsync(session, assignment, HttpContext.ReaderZone(), cancellation)));
        Audit.Record(session, HttpContext, clock, "intake.assignment.list", nameof(IntakeAssignment), null, clientId);
        await session.SaveChangesAsync(cancellation);
        return View(new IntakeSectionModel(clientId, timelines));
    }
}

internal sealed record IntakeSectionModel(
    Guid ClientId, IReadOnlyList<(IntakeAssignment Assignment, IReadOnlyList<TimelineEntry> Timeline)> Assignments);

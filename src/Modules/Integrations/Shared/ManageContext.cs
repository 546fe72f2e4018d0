namespace Portal.Integrations.Shared;

/// <summary>A record that belongs to one practice (an API client, a webhook endpoint).</summary>
internal interface IPracticeRecord
{
    Guid Id { get; }

    Guid PracticeId { get; }
}

/// <summary>
/// What every manage slice (API clients, webhook endpoints) works with: the caller and their request (for the audit
/// trail), the session its changes go into, the clock. The JSON endpoint and the console page each build one, so
/// the practice check, the 404 for another practice's record and the audit line are written once.
/// </summary>
internal sealed record ManageContext(HttpContext Http, IDocumentSession Session, TimeProvider Clock)
{
    public CurrentUser User => CurrentUser.From(Http.User)!;

    public Task<T?> OwnAsync<T>(Guid id) where T : class, IPracticeRecord => PracticeRecords.OwnAsync<T>(Session, id, User);

    public void Audit(string action, IPracticeRecord record, string? outcome = null) =>
        BuildingBlocks.Auditing.Audit.Record(Session, Http, Clock, action, record.GetType().Name, record.Id.ToString(), outcome: outcome);
}

internal static class PracticeRecords
{
    /// <summary>The record when it belongs to the caller's practice; null otherwise, which the slices answer with a 404.</summary>
    public static async Task<T?> OwnAsync<T>(IQuerySession session, Guid id, CurrentUser user) where T : class, IPracticeRecord =>
        await session.LoadAsync<T>(id) is { } record && record.PracticeId == user.PracticeId ? record : null;
}

/// <summary>The 404 every manage endpoint may answer (another practice's record does not exist for the caller).</summary>
internal sealed class ProducesNotFoundAttribute()
    : ProducesResponseTypeAttribute(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json");

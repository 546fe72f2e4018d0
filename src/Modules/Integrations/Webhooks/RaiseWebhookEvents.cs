using System.Text.Json;
using Portal.Integrations.Roster;

namespace Portal.Integrations.Webhooks;

/// <summary>
/// Turns a fact another module published into one delivery per subscribed, enabled endpoint of the client's practice,
/// and queues its first attempt in the same transaction (Wolverine's durable outbox). The payload is minimal: the
/// event's kind, when, and ids (the receiver fetches details with its token); never a name, an answer or a score.
/// </summary>
internal static class WebhookEventRaiser
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task RaiseAsync(IDocumentSession session, IMessageBus bus, Guid practiceId, string type, Guid eventId,
        DateTimeOffset at, Dictionary<string, object?> data, CancellationToken cancellation)
    {
        var endpoints = await session.Query<WebhookEndpoint>()
            .Where(e => e.PracticeId == practiceId && e.DisabledAt == null && e.Events.Contains(type))
            .ToListAsync(cancellation);
        if (endpoints.Count == 0) return;

        data["practiceId"] = practiceId;
        var webhookId = $"msg_{eventId:N}";
        var payload = JsonSerializer.Serialize(new { type, timestamp = at, data }, Json);
        foreach (var endpoint in endpoints)
        {
            var id = DeterministicId.From("webhook-delivery", endpoint.Id, eventId);
            if (await session.LoadAsync<WebhookDelivery>(id, cancellation) is not null) continue;
            session.Store(new WebhookDelivery
            {
                Id = id,
                EndpointId = endpoint.Id,
                PracticeId = practiceId,
                WebhookId = webhookId,
                Type = type,
                Payload = payload,
                CreatedAt = at,
                Status = WebhookDeliveryStatus.Pending,
                NextAttemptAt = at,
            });
            await bus.PublishAsync(new DeliverWebhook(id, 1, 1));
        }
    }

    /// <summary>The client's practice, from this module's copy; a missing copy holds the event until it arrives.</summary>
    public static async Task<Guid> PracticeOfAsync(IQuerySession session, Guid clientId, CancellationToken cancellation) =>
        (await session.LoadAsync<IntegrationsClient>(clientId, cancellation) ?? throw new IntegrationsCopyMissing(clientId)).PracticeId;

    public static async Task RaiseForClientAsync(IDocumentSession session, IMessageBus bus, Guid clientId, string type, Guid eventId,
        DateTimeOffset at, Dictionary<string, object?> data, CancellationToken cancellation)
    {
        var practiceId = await PracticeOfAsync(session, clientId, cancellation);
        data["clientId"] = clientId;
        await RaiseAsync(session, bus, practiceId, type, eventId, at, data, cancellation);
    }
}

public static class TaskCompletedWebhookHandler
{
    public static Task Handle(TaskClosed closed, IDocumentSession session, IMessageBus bus, CancellationToken cancellation) =>
        closed.Outcome != TaskOutcome.Completed
            ? Task.CompletedTask
            : WebhookEventRaiser.RaiseForClientAsync(session, bus, closed.ClientId, WebhookEvents.TaskCompleted,
                DeterministicId.From(WebhookEvents.TaskCompleted, closed.TaskId), closed.At,
                new() { ["taskId"] = closed.TaskId, ["assignmentId"] = closed.AssignmentId }, cancellation);
}

public static class AssignmentFinishedWebhookHandler
{
    public static Task Handle(AssignmentCompleted completed, IDocumentSession session, IMessageBus bus, CancellationToken cancellation) =>
        WebhookEventRaiser.RaiseForClientAsync(session, bus, completed.ClientId, WebhookEvents.AssignmentFinished,
            DeterministicId.From(WebhookEvents.AssignmentFinished, completed.AssignmentId), completed.CompletedAt,
            new() { ["assignmentId"] = completed.AssignmentId }, cancellation);
}

public static class InsuranceChangedWebhookHandler
{
    public static Task Handle(InsuranceChanged changed, IDocumentSession session, IMessageBus bus, CancellationToken cancellation) =>
        WebhookEventRaiser.RaiseForClientAsync(session, bus, changed.ClientId, WebhookEvents.InsuranceChanged, changed.EventId, changed.At,
            new() { ["change"] = changed.Change.ToString(), ["rank"] = changed.Rank.ToString() }, cancellation);
}

public static class AutopayChangedWebhookHandler
{
    public static Task Handle(AutopayChanged changed, IDocumentSession session, IMessageBus bus, CancellationToken cancellation) =>
        WebhookEventRaiser.RaiseForClientAsync(session, bus, changed.ClientId, WebhookEvents.AutopayChanged, changed.EventId, changed.At,
            new() { ["change"] = changed.Change.ToString() }, cancellation);
}

public static class DocumentSignedWebhookHandler
{
    public static Task Handle(ConsentFormSigned signed, IDocumentSession session, IMessageBus bus, CancellationToken cancellation) =>
        WebhookEventRaiser.RaiseForClientAsync(session, bus, signed.ClientId, WebhookEvents.DocumentSigned, signed.EventId, signed.At,
            new() { ["documentId"] = signed.DocumentId, ["documentVersion"] = signed.DocumentVersion }, cancellation);
}

public static class AssessmentCompletedWebhookHandler
{
    /// <summary>The instrument is the kind of assessment; the score, severity and answers stay behind the API.</summary>
    public static Task Handle(AssessmentCompleted completed, IDocumentSession session, IMessageBus bus, CancellationToken cancellation) =>
        WebhookEventRaiser.RaiseForClientAsync(session, bus, completed.ClientId, WebhookEvents.AssessmentCompleted, completed.EventId,
            completed.At, new() { ["resultId"] = completed.ResultId, ["instrument"] = completed.Instrument }, cancellation);
}

public static class SafetyFlagRaisedWebhookHandler
{
    public static Task Handle(SafetyFlagRaised raised, IDocumentSession session, IMessageBus bus, CancellationToken cancellation) =>
        WebhookEventRaiser.RaiseForClientAsync(session, bus, raised.ClientId, WebhookEvents.SafetyFlagRaised, raised.EventId, raised.At,
            new() { ["flagId"] = raised.EventId }, cancellation);
}

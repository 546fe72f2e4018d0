using Portal.Integrations.Shared;
using Wolverine.Marten;

namespace Portal.Integrations.Webhooks;

/// <summary>
/// The practice's endpoints and their delivery log; removing an endpoint; enabling one again after it was disabled;
/// "send again" for one delivery (a new series of attempts with the same webhook-id); and the practice's setting for
/// private-network targets. Another practice's endpoint or delivery is a 404.
/// </summary>
[Authorize(Policy = PortalPolicies.Owner)]
public static class ManageWebhookEndpoints
{
    [WolverineGet("/api/console/integrations/webhooks")]
    [ProducesResponseType<WebhookEndpointView[]>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(HttpContext http, IQuerySession session) =>
        Results.Json(await ListAsync(CurrentUser.From(http.User)!, session));

    [WolverineDelete("/api/console/integrations/webhooks/{endpointId}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesNotFound]
    public static async Task<IResult> Remove(Guid endpointId, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        (await RemoveAsync(endpointId, new(http, session, clock))).ToResult(http);

    [WolverinePost("/api/console/integrations/webhooks/{endpointId}/enable")]
    [ProducesResponseType<WebhookEndpointView>(StatusCodes.Status200OK)]
    [ProducesNotFound]
    public static async Task<IResult> Enable(Guid endpointId, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        (await EnableAsync(endpointId, new(http, session, clock))).ToResult(http);

    [WolverineGet("/api/console/integrations/webhooks/{endpointId}/deliveries")]
    [ProducesResponseType<WebhookDeliveryView[]>(StatusCodes.Status200OK)]
    [ProducesNotFound]
    public static async Task<IResult> Deliveries(Guid endpointId, HttpContext http, IQuerySession session) =>
        (await DeliveriesAsync(endpointId, CurrentUser.From(http.User)!, session)).ToResult(http);

    [WolverinePost("/api/console/integrations/webhooks/{endpointId}/deliveries/{deliveryId}/resend")]
    [ProducesResponseType<WebhookDeliveryView>(StatusCodes.Status202Accepted)]
    [ProducesNotFound]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public static async Task<IResult> Resend(Guid endpointId, Guid deliveryId, HttpContext http, IDocumentSession session,
        IMartenOutbox outbox, TimeProvider clock)
    {
        var (outcome, messages) = await ResendAsync(endpointId, deliveryId, new(http, session, clock));
        if (outcome.Succeeded) await outbox.CommitAsync(session, messages);
        return outcome.ToResult(http);
    }

    [WolverinePut("/api/console/integrations/settings")]
    [ProducesResponseType<IntegrationSettings>(StatusCodes.Status200OK)]
    public static async Task<IResult> Settings(IntegrationSettings request, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        (await SaveSettingsAsync(request, new(http, session, clock))).ToResult(http);

    internal static async Task<IReadOnlyList<WebhookEndpointView>> ListAsync(CurrentUser user, IQuerySession session)
    {
        var endpoints = await session.Query<WebhookEndpoint>().Where(e => e.PracticeId == user.PracticeId)
            .OrderBy(e => e.CreatedAt).ToListAsync();
        return [.. endpoints.Select(e => e.ToView())];
    }

    internal static async Task<Outcome<bool>> RemoveAsync(Guid endpointId, ManageContext context)
    {
        if (await context.OwnAsync<WebhookEndpoint>(endpointId) is not { } endpoint) return Refusal.NotFound("webhook endpoint");
        context.Session.Delete(endpoint);
        context.Session.DeleteWhere<WebhookDelivery>(d => d.EndpointId == endpoint.Id);
        context.Audit("integrations.webhook.removed", endpoint);
        return Outcome<bool>.Ok(true, StatusCodes.Status204NoContent);
    }

    internal static async Task<Outcome<WebhookEndpointView>> EnableAsync(Guid endpointId, ManageContext context)
    {
        if (await context.OwnAsync<WebhookEndpoint>(endpointId) is not { } endpoint) return Refusal.NotFound("webhook endpoint");
        endpoint.DisabledAt = null;
        endpoint.FailingSince = null;
        context.Session.Store(endpoint);
        context.Audit("integrations.webhook.enabled", endpoint);
        return endpoint.ToView();
    }

    internal static async Task<Outcome<WebhookDeliveryView[]>> DeliveriesAsync(Guid endpointId, CurrentUser user, IQuerySession session)
    {
        if (await PracticeRecords.OwnAsync<WebhookEndpoint>(session, endpointId, user) is null) return Refusal.NotFound("webhook endpoint");
        var deliveries = await session.Query<WebhookDelivery>().Where(d => d.EndpointId == endpointId)
            .OrderByDescending(d => d.CreatedAt).Take(100).ToListAsync();
        return deliveries.Select(d => d.ToView()).ToArray();
    }

    internal static async Task<(Outcome<WebhookDeliveryView>, OutgoingMessages)> ResendAsync(Guid endpointId, Guid deliveryId,
        ManageContext context)
    {
        var (session, clock) = (context.Session, context.Clock);
        if (await context.OwnAsync<WebhookEndpoint>(endpointId) is not { } endpoint) return (Refusal.NotFound("webhook endpoint"), []);
        var delivery = await session.LoadAsync<WebhookDelivery>(deliveryId);
        if (delivery is null || delivery.EndpointId != endpoint.Id) return (Refusal.NotFound("delivery"), []);
        if (!endpoint.Enabled)
            return (Refusal.Conflict("The endpoint is disabled.", "Enable the endpoint, then send the delivery again."), []);

        delivery.Series++;
        delivery.SeriesStartedAt = null;
        delivery.Status = WebhookDeliveryStatus.Pending;
        delivery.NextAttemptAt = clock.GetUtcNow();
        session.Store(delivery);
        Audit.Record(session, context.Http, clock, "integrations.webhook.resent", nameof(WebhookDelivery), delivery.Id.ToString());
        return (Outcome<WebhookDeliveryView>.Ok(delivery.ToView(), StatusCodes.Status202Accepted),
            [new DeliverWebhook(delivery.Id, delivery.Series, 1)]);
    }

    internal static async Task<Outcome<IntegrationSettings>> SaveSettingsAsync(IntegrationSettings request, ManageContext context)
    {
        if (context.User.PracticeId is not { } practiceId) return Refusal.Forbidden("Only a practice has integration settings.");
        context.Session.Store(new IntegrationsPractice { Id = practiceId, AllowPrivateNetworkTargets = request.AllowPrivateNetworkTargets });
        Audit.Record(context.Session, context.Http, context.Clock, "integrations.settings.changed", nameof(IntegrationsPractice), practiceId.ToString(),
            outcome: request.AllowPrivateNetworkTargets ? "private-network targets allowed" : "private-network targets refused");
        return request;
    }
}

/// <summary>Whether webhooks may target the practice's own private network (an EHR inside the office, say).</summary>
public sealed record IntegrationSettings(bool AllowPrivateNetworkTargets);

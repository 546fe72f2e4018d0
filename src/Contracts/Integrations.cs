namespace Portal.Contracts;

/// <summary>
/// A webhook endpoint failed for a day without one success and was disabled (Integrations): the practice's owners are
/// emailed. Only the endpoint's URL and times travel: never a payload or the signing secret.
/// </summary>
public sealed record WebhookEndpointDisabled(
    Guid EventId, Guid PracticeId, Guid EndpointId, string Url, DateTimeOffset FailingSince, DateTimeOffset DisabledAt);

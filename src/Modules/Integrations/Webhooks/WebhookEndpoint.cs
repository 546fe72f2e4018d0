using System.Security.Cryptography;
using System.Text;

namespace Portal.Integrations.Webhooks;

/// <summary>
/// A URL of another system that the practice's owner subscribed to some events. The signing secret is kept protected
/// with the host's Data Protection key ring (it must be read back to sign), shown once when created. An endpoint that
/// has failed for a day (<see cref="WebhookOptions.DisableAfter"/>) is disabled and the owner told; enabling it again
/// clears the failure.
/// </summary>
public sealed class WebhookEndpoint : Shared.IPracticeRecord
{
    public Guid Id { get; set; }
    public Guid PracticeId { get; set; }
    public string Url { get; set; } = string.Empty;
    public List<string> Events { get; set; } = [];
    public string ProtectedSecret { get; set; } = string.Empty;
    public Guid CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    public DateTimeOffset? FailingSince { get; set; }
    public DateTimeOffset? LastSuccessAt { get; set; }

    public bool Enabled => DisabledAt is null;

    public WebhookEndpointView ToView() => new(Id, Url, [.. Events], Enabled, CreatedAt, DisabledAt, FailingSince, LastSuccessAt);
}

public sealed record WebhookEndpointView(
    Guid Id, string Url, string[] Events, bool Enabled, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt,
    DateTimeOffset? FailingSince, DateTimeOffset? LastSuccessAt);

/// <summary>The answer to subscribing: the only time the signing secret is shown.</summary>
public sealed record WebhookEndpointCreated(WebhookEndpointView Endpoint, string SigningSecret);

/// <summary>
/// One event for one endpoint: the exact body signed and sent, every attempt with its status and latency. Its id is
/// derived from the endpoint and the event, so the same event reaching this module twice makes one delivery, and the
/// receiver sees one <c>webhook-id</c> per event however often it is retried or sent again.
/// </summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }
    public Guid EndpointId { get; set; }
    public Guid PracticeId { get; set; }
    public string WebhookId { get; set; } = string.Empty;
    public string Type { get; set; } = string.Empty;
    public string Payload { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
    public WebhookDeliveryStatus Status { get; set; }
    /// <summary>Raised by "send again": attempts of an earlier series that were still scheduled do nothing.</summary>
    public int Series { get; set; } = 1;
    public DateTimeOffset? SeriesStartedAt { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public List<WebhookAttempt> Attempts { get; set; } = [];

    public WebhookDeliveryView ToView() =>
        new(Id, WebhookId, Type, Status.ToString(), CreatedAt, NextAttemptAt, [.. Attempts]);
}

public enum WebhookDeliveryStatus
{
    Pending,
    Delivered,
    /// <summary>Retried for the whole window (or its endpoint was disabled) without a 2xx answer.</summary>
    Failed,
}

/// <summary>One try: when, the HTTP status (null when no answer), how long it took, and why it failed.</summary>
public sealed record WebhookAttempt(DateTimeOffset At, int Series, int? StatusCode, long LatencyMs, string? Error);

public sealed record WebhookDeliveryView(
    Guid Id, string WebhookId, string Type, string Status, DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt,
    WebhookAttempt[] Attempts);

/// <summary>The practice's integration settings: whether webhooks may target its own private network.</summary>
public sealed class IntegrationsPractice
{
    public Guid Id { get; set; }
    public bool AllowPrivateNetworkTargets { get; set; }
}

/// <summary>The events an endpoint may subscribe to, as the payload's <c>type</c> names them.</summary>
internal static class WebhookEvents
{
    public const string ClientAdded = "client.added";
    public const string TaskCompleted = "task.completed";
    public const string AssignmentFinished = "assignment.finished";
    public const string InsuranceChanged = "insurance.changed";
    public const string AutopayChanged = "autopay.changed";
    public const string DocumentSigned = "document.signed";
    public const string AssessmentCompleted = "assessment.completed";
    public const string SafetyFlagRaised = "safety_flag.raised";

    public static readonly IReadOnlyList<string> All =
        [ClientAdded, TaskCompleted, AssignmentFinished, InsuranceChanged, AutopayChanged, DocumentSigned, AssessmentCompleted, SafetyFlagRaised];
}

public sealed class WebhookOptions
{
    public const string Section = "Portal:Webhooks";

    /// <summary>The wait before the first retry; each further retry waits twice as long (up to <see cref="MaxRetryInterval"/>).</summary>
    public TimeSpan FirstRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long one event is retried.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>An endpoint failing without a success for this long is disabled and the owner emailed.</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

internal static class DeterministicId
{
    public static Guid From(params object[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', parts)));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}

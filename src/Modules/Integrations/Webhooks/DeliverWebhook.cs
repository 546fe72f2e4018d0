using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StandardWebhooks;

namespace Portal.Integrations.Webhooks;

/// <summary>
/// One attempt of one delivery (<paramref name="Series"/> counts "send again"s, <paramref name="Attempt"/> the tries in
/// a series). A module-internal message on a durable local queue: the first is published with the event's transaction,
/// each retry is scheduled by the attempt before it, so a crash loses none of them.
/// </summary>
public sealed record DeliverWebhook(Guid DeliveryId, int Series, int Attempt);

/// <summary>
/// Signs the stored body per Standard Webhooks (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>,
/// HMAC-SHA256 with the endpoint's secret) and posts it. A 2xx answer delivers it; anything else is retried with
/// exponential back-off (<see cref="WebhookOptions"/>) for a day. An endpoint that has not succeeded for a day is
/// disabled and its practice's owners emailed (<see cref="WebhookEndpointDisabled"/>). Each attempt is logged on the
/// delivery with its status and latency; a replayed or stale message (an earlier series, an attempt already made)
/// does nothing.
/// </summary>
public static class DeliverWebhookHandler
{
    public static async Task<OutgoingMessages> Handle(DeliverWebhook message, IDocumentSession session, IHttpClientFactory clients,
        IDataProtectionProvider protection, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<DeliverWebhook> logger,
        CancellationToken cancellation)
    {
        var outgoing = new OutgoingMessages();
        var delivery = await session.LoadAsync<WebhookDelivery>(message.DeliveryId, cancellation);
        if (delivery is null || delivery.Status != WebhookDeliveryStatus.Pending || delivery.Series != message.Series
            || delivery.Attempts.Count(a => a.Series == message.Series) != message.Attempt - 1)
            return outgoing;
        var endpoint = await session.LoadAsync<WebhookEndpoint>(delivery.EndpointId, cancellation);
        if (endpoint is null || !endpoint.Enabled)
        {
            delivery.Status = WebhookDeliveryStatus.Failed;
            delivery.NextAttemptAt = null;
            session.Store(delivery);
            return outgoing;
        }

        var settings = await session.LoadAsync<IntegrationsPractice>(endpoint.PracticeId, cancellation);
        var now = clock.GetUtcNow();
        delivery.SeriesStartedAt ??= now;
        var (status, error, latency) = await SendAsync(delivery, endpoint, settings?.AllowPrivateNetworkTargets == true, clients,
            protection, options.Value, cancellation);
        delivery.Attempts.Add(new WebhookAttempt(now, message.Series, status, latency, error));
        var settingsValue = options.Value;

        if (status is >= 200 and < 300)
        {
            delivery.Status = WebhookDeliveryStatus.Delivered;
            delivery.NextAttemptAt = null;
            endpoint.FailingSince = null;
            endpoint.LastSuccessAt = now;
        }
        else
        {
            endpoint.FailingSince ??= now;
            logger.LogInformation("Webhook delivery {DeliveryId} attempt {Attempt} to endpoint {EndpointId} failed: {Status}",
                delivery.Id, message.Attempt, endpoint.Id, status?.ToString(CultureInfo.InvariantCulture) ?? error);
            if (now - endpoint.FailingSince.Value >= settingsValue.DisableAfter)
            {
                endpoint.DisabledAt = now;
                delivery.Status = WebhookDeliveryStatus.Failed;
                delivery.NextAttemptAt = null;
                outgoing.Add(new WebhookEndpointDisabled(DeterministicId.From("webhook-disabled", endpoint.Id, now.UtcTicks),
                    endpoint.PracticeId, endpoint.Id, endpoint.Url, endpoint.FailingSince.Value, now));
            }
            else if (now - delivery.SeriesStartedAt.Value >= settingsValue.RetryFor)
            {
                delivery.Status = WebhookDeliveryStatus.Failed;
                delivery.NextAttemptAt = null;
            }
            else
            {
                var delay = Backoff(settingsValue, message.Attempt);
                delivery.NextAttemptAt = now + delay;
                outgoing.Add(new DeliverWebhook(delivery.Id, message.Series, message.Attempt + 1).DelayedFor(delay));
            }
        }
        session.Store(delivery);
        session.Store(endpoint);
        return outgoing;
    }

    /// <summary>The wait after attempt <paramref name="attempt"/>: the first retry's wait, doubled each time, capped.</summary>
    public static TimeSpan Backoff(WebhookOptions options, int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(options.FirstRetryAfter.Ticks * factor, options.MaxRetryInterval.Ticks));
        return delay;
    }

    private static async Task<(int? Status, string? Error, long LatencyMs)> SendAsync(WebhookDelivery delivery, WebhookEndpoint endpoint,
        bool allowPrivate, IHttpClientFactory clients, IDataProtectionProvider protection, WebhookOptions options, CancellationToken cancellation)
    {
        var secret = WebhookSecrets.Protector(protection).Unprotect(endpoint.ProtectedSecret);
        // The receiver checks this against its own clock (a replay window), so it is the wall clock, not the host's.
        var timestamp = DateTimeOffset.UtcNow;
        var signature = new StandardWebhook(secret).Sign(delivery.WebhookId, timestamp, delivery.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Payload, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.WebhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signature);
        request.Options.Set(WebhookTargets.AllowPrivate, allowPrivate);

        var client = clients.CreateClient(WebhookSender.HttpClientName);
        client.Timeout = options.Timeout;
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
            return ((int)response.StatusCode, null, watch.ElapsedMilliseconds);
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookTargetRefusedException refused)
        {
            return (null, refused.Message, watch.ElapsedMilliseconds);
        }
        catch (HttpRequestException e)
        {
            return (null, $"No answer: {e.HttpRequestError}", watch.ElapsedMilliseconds);
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return (null, $"No answer within {options.Timeout.TotalSeconds:0} s", watch.ElapsedMilliseconds);
        }
    }
}

internal static class WebhookSender
{
    public const string HttpClientName = "portal.webhooks";
}

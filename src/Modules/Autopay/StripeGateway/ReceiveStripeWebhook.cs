using Portal.Autopay.Payments;
using Stripe;

namespace Portal.Autopay.StripeGateway;

/// <summary>
/// Stripe's webhook. The <c>Stripe-Signature</c> header is checked by Stripe's library (<see cref="EventUtility"/>,
/// HMAC-SHA256 with the endpoint's secret, at most 5 minutes old by the portal's clock); anything unsigned, wrongly
/// signed or stale is a 400 and changes nothing. Each event id is handled once: its <see cref="StripeWebhookEvent"/>
/// is stored in the same transaction as the message it becomes, so a replay (Stripe retries, or an attacker resends a
/// captured request within the 5 minutes) answers 200 and changes nothing. The message is handled by
/// <see cref="StripeEventHandler"/> on Wolverine's durable queue.
/// </summary>
public static class ReceiveStripeWebhookEndpoint
{
    public const string Route = "/webhooks/stripe";
    public const long ToleranceSeconds = 300;
    private const int MaximumBody = 512 * 1024;

    [WolverinePost(Route)]
    [AllowAnonymous]
    public static async Task<(IResult, OutgoingMessages)> Post(
        HttpContext http, IDocumentSession session, PaymentSettings settings, TimeProvider clock, CancellationToken cancellation)
    {
        if (settings.Stripe is not { } stripe) return (Results.NotFound(), []);
        var signature = http.Request.Headers["Stripe-Signature"].ToString();
        if (string.IsNullOrWhiteSpace(signature))
            return (Refused("Stripe-Signature", "The Stripe-Signature header is missing."), []);

        string json;
        using (var reader = new StreamReader(http.Request.Body, System.Text.Encoding.UTF8))
        {
            var buffer = new char[MaximumBody + 1];
            var read = await reader.ReadBlockAsync(buffer, cancellation);
            if (read > MaximumBody) return (Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The event is too large."), []);
            json = new string(buffer, 0, read);
        }

        Event stripeEvent;
        try
        {
            // The API version of the event is not enforced: only ids, amounts and card details are read, stable across versions.
            stripeEvent = EventUtility.ConstructEvent(json, signature, stripe.WebhookSecret, ToleranceSeconds,
                clock.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (StripeException)
        {
            return (Refused("Stripe-Signature", "The signature does not match the event, or the event is older than 5 minutes."), []);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Signed with the secret but not an event Stripe's library can read.
            return (Refused("body", "The body is not a Stripe event."), []);
        }

        if (await session.LoadAsync<StripeWebhookEvent>(stripeEvent.Id, cancellation) is not null)
            return (Results.Ok(new { received = true, replay = true }), []);

        var message = StripeEvents.ToMessage(stripeEvent);
        // Inserted, not stored: two deliveries racing past the check above cannot both commit (the second is a 500, and
        // Stripe's retry then finds the event handled).
        session.Insert(new StripeWebhookEvent
        {
            Id = stripeEvent.Id,
            Type = stripeEvent.Type,
            CreatedAt = stripeEvent.Created,
            ReceivedAt = clock.GetUtcNow(),
            Handled = message is not null,
        });
        return (Results.Ok(new { received = true, replay = false }), message is null ? [] : [message]);
    }

    private static IResult Refused(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: message);
}

/// <summary>A Stripe event the portal received, by its id: the record that it was handled once.</summary>
public sealed class StripeWebhookEvent
{
    public string Id { get; set; } = string.Empty;
    public string Type { get; set; } = string.Empty;
    public DateTime CreatedAt { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>False for an event type the portal does not follow (acknowledged so Stripe stops sending it).</summary>
    public bool Handled { get; set; }
}

// What each followed Stripe event becomes: only the ids and figures the portal acts on, never the whole object.
public sealed record StripePaymentSucceeded(string EventId, string PaymentIntentId);

public sealed record StripePaymentFailed(string EventId, string PaymentIntentId, string Code, string Message);

public sealed record StripePaymentMethodUpdated(string EventId, string PaymentMethodId, string Brand, string Last4, int ExpMonth, int ExpYear);

public sealed record StripePaymentMethodDetached(string EventId, string PaymentMethodId);

public sealed record StripeChargeRefunded(string EventId, string PaymentIntentId, long AmountRefundedCents);

public sealed record StripeDisputeOpened(string EventId, string PaymentIntentId, long AmountCents, string Reason);

internal static class StripeEvents
{
    /// <summary>
    /// The message for an event the portal follows; null for others. <c>setup_intent.succeeded</c> is acknowledged but
    /// changes nothing by itself: a card goes on file only when the client submits the form with their consent.
    /// </summary>
    public static object? ToMessage(Event e) => (e.Type, e.Data?.Object) switch
    {
        ("payment_intent.succeeded", PaymentIntent pi) => new StripePaymentSucceeded(e.Id, pi.Id),
        ("payment_intent.payment_failed", PaymentIntent pi) => new StripePaymentFailed(e.Id, pi.Id,
            pi.LastPaymentError?.DeclineCode ?? pi.LastPaymentError?.Code ?? "card_declined",
            pi.LastPaymentError?.Message ?? "Your card was declined. Please use a different card or contact your bank."),
        ("payment_method.updated" or "payment_method.automatically_updated", PaymentMethod { Card: { } card } pm) =>
            new StripePaymentMethodUpdated(e.Id, pm.Id, StripeCards.BrandName(card.Brand), card.Last4, (int)card.ExpMonth, (int)card.ExpYear),
        ("payment_method.detached", PaymentMethod pm) => new StripePaymentMethodDetached(e.Id, pm.Id),
        ("charge.refunded", Charge { PaymentIntentId: { } pi } charge) => new StripeChargeRefunded(e.Id, pi, charge.AmountRefunded),
        ("charge.dispute.created", Dispute { PaymentIntentId: { } pi } dispute) =>
            new StripeDisputeOpened(e.Id, pi, dispute.Amount, dispute.Reason ?? "unrecognized"),
        _ => null,
    };
}

using Portal.Notifications.Delivery;

namespace Portal.Notifications.ClientEmails;

/// <summary>
/// A refund of an autopay payment: the client (and contacts who receive the record's emails) are told the amount, the
/// date, the card it goes back to and why, in words chosen from a fixed list. The practice's own note about the refund
/// and the charge's description never go out: either may speak of the care behind the payment.
/// </summary>
public sealed class AutopayRefundHandler
{
    public static Task<OutgoingMessages> Handle(AutopayPaymentRefunded refunded, IQuerySession session, IConfiguration configuration,
        TimeProvider clock, CancellationToken cancellation) =>
        new ClientEmail("autopay-refund", refunded.EventId, refunded.ClientId).ComposeForRecordByReaderAsync(session, clock, reader => new()
        {
            ["amount"] = AutopayReceiptHandler.Amount(refunded.AmountCents, refunded.Currency),
            ["refundedOn"] = reader.Day(refunded.At),
            ["cardBrand"] = refunded.CardBrand,
            ["last4"] = refunded.Last4,
            ["reason"] = reader.Words(Reason(refunded.Reason, toClient: true)),
            ["portalLink"] = Links.Portal(configuration) + "/autopay",
        }, tellClient: true, cancellation,
            forContactsByReader: reader => new() { ["reason"] = reader.Words(Reason(refunded.Reason, toClient: false)) });

    /// <summary>The reason as the email's sentence ends it: "... was refunded because {reason}."</summary>
    internal static string Reason(AutopayRefundReason reason, bool toClient) => reason switch
    {
        AutopayRefundReason.Duplicate => "the payment was charged twice by mistake",
        AutopayRefundReason.RequestedByClient => toClient ? "you asked for a refund" : "a refund was asked for",
        AutopayRefundReason.BillingCorrection => "the amount charged was corrected",
        _ => "the practice returned this payment",
    };
}

using System.Globalization;
using Portal.Notifications.Delivery;

namespace Portal.Notifications.ClientEmails;

/// <summary>
/// The receipt for a paid autopay charge: amount, date and card (brand and last 4). No description of the charge and
/// nothing about the care behind it: an email can be read by whoever shares the inbox.
/// </summary>
public sealed class AutopayReceiptHandler
{
    public static Task<SendEmail> Handle(AutopayPaymentReceived paid, IQuerySession session, IConfiguration configuration,
        TimeProvider clock, CancellationToken cancellation) =>
        new ClientEmail("autopay-receipt", paid.EventId, paid.ClientId).ComposeForReaderAsync(session, clock, reader => new()
        {
            ["amount"] = Amount(paid.AmountCents, paid.Currency),
            ["paidOn"] = reader.Day(paid.At),
            ["cardBrand"] = paid.CardBrand,
            ["last4"] = paid.Last4,
            ["receiptNumber"] = paid.EventId.ToString("N")[..12].ToUpperInvariant(),
            ["portalLink"] = Links.Portal(configuration) + "/autopay",
        }, cancellation);

    internal static string Amount(long cents, string currency) => currency.Equals("usd", StringComparison.OrdinalIgnoreCase)
        ? (cents / 100m).ToString("C", CultureInfo.GetCultureInfo("en-US"))
        : $"{(cents / 100m).ToString("0.00", CultureInfo.InvariantCulture)} {currency.ToUpperInvariant()}";
}

namespace Portal.Autopay.Gateway;

/// <summary>A card is valid through the last day of its expiry month.</summary>
internal static class CardExpiry
{
    /// <summary>The first moment a card is no longer valid: the start of the month after its expiry month (UTC).</summary>
    public static DateTimeOffset EndOfValidity(int month, int year) =>
        new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);

    public static bool HasExpired(int month, int year, DateTimeOffset now) => now >= EndOfValidity(month, year);

    /// <summary>The last day the card can be used.</summary>
    public static DateOnly LastDay(int month, int year) => new DateOnly(year, month, 1).AddMonths(1).AddDays(-1);
}

namespace Portal.Autopay.SandboxGateway;

/// <summary>Card number arithmetic the sandbox needs: digits only, the Luhn check digit, the brand from the prefix.</summary>
internal static class CardNumbers
{
    /// <summary>The digits of a number typed with spaces or dashes; null when anything else is in it.</summary>
    public static string? Digits(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed)) return null;
        var digits = new System.Text.StringBuilder(typed.Length);
        foreach (var c in typed)
        {
            if (char.IsAsciiDigit(c)) digits.Append(c);
            else if (c is not (' ' or '-')) return null;
        }
        return digits.ToString();
    }

    public static bool PassesLuhn(string digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    /// <summary>The brand by issuer prefix and length; null for a brand the sandbox does not accept.</summary>
    public static string? Brand(string digits)
    {
        if (digits.Length is 13 or 16 or 19 && digits[0] == '4') return "Visa";
        if (digits.Length == 16)
        {
            var two = int.Parse(digits[..2], System.Globalization.CultureInfo.InvariantCulture);
            var four = int.Parse(digits[..4], System.Globalization.CultureInfo.InvariantCulture);
            if (two is >= 51 and <= 55 || four is >= 2221 and <= 2720) return "Mastercard";
            var three = int.Parse(digits[..3], System.Globalization.CultureInfo.InvariantCulture);
            if (digits.StartsWith("6011", StringComparison.Ordinal)
                || digits.StartsWith("65", StringComparison.Ordinal)
                || three is >= 644 and <= 649)
                return "Discover";
        }
        if (digits.Length == 15 && (digits.StartsWith("34", StringComparison.Ordinal) || digits.StartsWith("37", StringComparison.Ordinal)))
            return "American Express";
        return null;
    }
}

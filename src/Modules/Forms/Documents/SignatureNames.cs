using System.Globalization;
using System.Text;

namespace Portal.Forms.Documents;

/// <summary>
/// Whether a typed signature is the client's legal name (first and last name from the roster). Case, spacing,
/// punctuation (hyphens, apostrophes, full stops) and accents do not count: "o'brien-nuñez, ana" and "Ana OBrien Nunez"
/// differ only in how they were typed, while "A. Nunez" or someone else's name is a different name.
/// </summary>
internal static class SignatureNames
{
    public static bool Match(string typed, string legal) =>
        Key(legal).Length > 0 && Key(typed) == Key(legal) || SameWords(typed, legal);

    /// <summary>Letters and digits only, accents stripped (decomposed, then without the non-spacing marks), lower case.</summary>
    internal static string Key(string name)
    {
        var key = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsLetterOrDigit(c)) key.Append(char.ToLowerInvariant(c));
        }
        return key.ToString();
    }

    /// <summary>The same words in another order ("Nunez, Ana"): a surname-first signature is still the legal name.</summary>
    private static bool SameWords(string typed, string legal)
    {
        static string[] Words(string name) =>
            [.. name.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Select(Key).Where(w => w.Length > 0).Order(StringComparer.Ordinal)];
        var legalWords = Words(legal);
        return legalWords.Length > 0 && legalWords.SequenceEqual(Words(typed));
    }
}

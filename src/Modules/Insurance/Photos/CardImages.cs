using System.Buffers.Binary;
using System.Text;

namespace Portal.Insurance.Photos;

internal sealed record CleanImage(string ContentType, byte[] Content);

/// <summary>
/// Checks an uploaded card photo by its content (never its name or declared type) and removes everything but the
/// picture: a JPEG keeps only the segments needed to decode it (frames, tables, scans, JFIF, ICC colour profile,
/// Adobe colour transform) and, when the photo was rotated by the camera, a fresh EXIF block holding nothing but the
/// orientation; a PNG keeps only its image and colour chunks. EXIF (GPS position, camera, time), XMP, IPTC, comments
/// and text chunks are dropped, as is anything after the end of the image.
/// </summary>
internal static class CardImages
{
    public const long MaxBytes = 10 * 1024 * 1024;

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly HashSet<string> PngChunksKept =
        ["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "bKGD", "pHYs"];

    /// <summary>The cleaned image, or null when the content is not a well-formed JPEG or PNG.</summary>
    public static CleanImage? Clean(ReadOnlySpan<byte> content)
    {
        if (content.Length >= 3 && content[0] == 0xFF && content[1] == 0xD8 && content[2] == 0xFF)
            return CleanJpeg(content) is { } jpeg ? new CleanImage("image/jpeg", jpeg) : null;
        if (content.Length >= PngSignature.Length && content[..PngSignature.Length].SequenceEqual(PngSignature))
            return CleanPng(content) is { } png ? new CleanImage("image/png", png) : null;
        return null;
    }

    private static byte[]? CleanJpeg(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream(data.Length);
        var segments = new List<(int Start, int Length, bool IsApp0)>();
        ushort orientation = 1;
        bool sawFrame = false, sawScan = false, sawEnd = false;
        var i = 2;
        while (i < data.Length && !sawEnd)
        {
            if (data[i] != 0xFF) return null;
            while (i < data.Length && data[i] == 0xFF) i++; // fill bytes
            if (i >= data.Length) return null;
            var marker = data[i];
            var markerStart = i - 1;
            i++;

            if (marker == 0xD9) { sawEnd = true; break; }
            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
            {
                segments.Add((markerStart, 2, false));
                continue;
            }
            if (marker is 0x00 or 0xD8) return null;
            if (i + 2 > data.Length) return null;
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
            if (length < 2 || i + length > data.Length) return null;
            var payload = data.Slice(i + 2, length - 2);
            var segmentEnd = i + length;

            if (marker == 0xDA)
            {
                sawScan = true;
                // Entropy-coded data runs until a marker other than a stuffed zero or a restart marker.
                var j = segmentEnd;
                while (j < data.Length)
                {
                    if (data[j] == 0xFF && j + 1 < data.Length && data[j + 1] != 0x00
                        && data[j + 1] is not (>= 0xD0 and <= 0xD7) && data[j + 1] != 0xFF)
                        break;
                    if (data[j] == 0xFF && j + 1 < data.Length && data[j + 1] == 0xFF)
                    {
                        // fill byte before a marker: stop here, the loop above skips fills
                        break;
                    }
                    j++;
                }
                if (j >= data.Length) return null;
                segments.Add((markerStart, j - markerStart, false));
                i = j;
                continue;
            }

            var keep = marker switch
            {
                0xE0 => StartsWith(payload, "JFIF\0") || StartsWith(payload, "JFXX\0"),
                0xE2 => StartsWith(payload, "ICC_PROFILE\0"),
                0xEE => StartsWith(payload, "Adobe"),
                >= 0xE0 and <= 0xEF => false, // EXIF, XMP, IPTC, vendor blocks
                0xFE => false, // comments
                _ => true, // tables, frames, restart interval
            };
            if (marker == 0xE1 && StartsWith(payload, "Exif\0\0")) orientation = ReadOrientation(payload[6..]);
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC) sawFrame = true;
            if (keep) segments.Add((markerStart, segmentEnd - markerStart, marker == 0xE0));
            i = segmentEnd;
        }
        if (!sawFrame || !sawScan || !sawEnd) return null;

        output.Write([0xFF, 0xD8]);
        var leading = segments.TakeWhile(s => s.IsApp0).ToList();
        foreach (var s in leading) output.Write(data.Slice(s.Start, s.Length));
        if (orientation is > 1 and <= 8) output.Write(OrientationOnlyExif(orientation));
        foreach (var s in segments.Skip(leading.Count)) output.Write(data.Slice(s.Start, s.Length));
        output.Write([0xFF, 0xD9]);
        return output.ToArray();
    }

    private static bool StartsWith(ReadOnlySpan<byte> payload, string signature) =>
        payload.Length >= signature.Length && payload[..signature.Length].SequenceEqual(Encoding.ASCII.GetBytes(signature));

    /// <summary>The Orientation tag (0x0112) of IFD0 in a TIFF-structured EXIF block; 1 when absent or unreadable.</summary>
    private static ushort ReadOrientation(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8) return 1;
        bool little;
        if (tiff[0] == 'I' && tiff[1] == 'I') little = true;
        else if (tiff[0] == 'M' && tiff[1] == 'M') little = false;
        else return 1;
        var ifd = little ? BinaryPrimitives.ReadUInt32LittleEndian(tiff[4..]) : BinaryPrimitives.ReadUInt32BigEndian(tiff[4..]);
        if (ifd > (uint)tiff.Length - 2) return 1;
        var count = U16(tiff, (int)ifd, little);
        for (var k = 0; k < count; k++)
        {
            var entry = (int)ifd + 2 + (k * 12);
            if (entry + 12 > tiff.Length) return 1;
            if (U16(tiff, entry, little) == 0x0112 && U16(tiff, entry + 2, little) == 3) return U16(tiff, entry + 8, little);
        }
        return 1;
    }

    private static ushort U16(ReadOnlySpan<byte> tiff, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(tiff[at..]) : BinaryPrimitives.ReadUInt16BigEndian(tiff[at..]);

    /// <summary>An APP1 EXIF segment with a single IFD0 entry: Orientation. Nothing else survives.</summary>
    private static byte[] OrientationOnlyExif(ushort orientation) =>
    [
        0xFF, 0xE1, 0x00, 0x22,
        (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0x00, 0x00,
        (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,
        0x00, 0x01,
        0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, (byte)orientation, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
    ];

    private static byte[]? CleanPng(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream(data.Length);
        output.Write(PngSignature);
        var i = PngSignature.Length;
        var first = true;
        bool sawData = false, sawEnd = false;
        while (i + 12 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
            if (length > int.MaxValue || length > (uint)(data.Length - i - 12)) return null;
            var type = Encoding.ASCII.GetString(data.Slice(i + 4, 4));
            if (!type.All(char.IsAsciiLetter)) return null;
            if (first && type != "IHDR") return null;
            first = false;
            var total = 12 + (int)length;
            if (PngChunksKept.Contains(type)) output.Write(data.Slice(i, total));
            if (type == "IDAT") sawData = true;
            i += total;
            if (type == "IEND") { sawEnd = true; break; }
        }
        return sawData && sawEnd ? output.ToArray() : null;
    }
}

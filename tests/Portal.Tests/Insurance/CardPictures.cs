using System.Buffers.Binary;
using System.Text;

namespace Portal.Tests.Insurance;

/// <summary>Small real card pictures (drawn and encoded by Chromium) and a phone-style JPEG with an EXIF GPS position.</summary>
internal static class CardPictures
{
    public static byte[] Jpeg => Convert.FromBase64String(
        "/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABh" +
        "Y3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" +
        "AAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAAB" +
        "UAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAA" +
        "AAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9Y" +
        "WVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAM" +
        "ZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQ" +
        "FxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgo" +
        "KCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAUACADASIAAhEBAxEB/8QAFwABAQEBAAAAAAAAAAAAAAAAAAYF" +
        "B//EACgQAAEDBAEDAgcAAAAAAAAAAAEAAgMEBQYREhQhQRMWIzEyVmGk0v/EABgBAAMBAQAAAAAAAAAAAAAAAAACBAUG/8QAHREA" +
        "AgMAAgMAAAAAAAAAAAAAAAECAxEEQWFxsf/aAAwDAQACEQMRAD8Ar8Hx7G7taZZ77d+iqWzljY+pij2zi0g6cCfmT3/CovZeC/cv" +
        "78H8qQxWtxOmt8jMjtlZV1ZlJY+FxADNDQ+tvffLx5WhcblgUlvqmUFkuMVW6Jwhe9501+jxJ+KewOvBU6zOjkaZUqpOSg35b34a" +
        "l3xHDKa01s9HkHq1MUD3xR9bC7m8NJA0G7OzrsFzFESN6Z3Iuha04QUfQRESk4REQB//2Q==");

    public static byte[] Png => Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAACAAAAAUCAYAAADskT9PAAAAaUlEQVR4AeyTsQkAIAwEg6PoTK6gM7mCzuQsWgsWCbz4RYRv5AmX" +
        "g4TYy/qZIJ8fF8DMTZDRyOUyoCFGd7gMpFEFGY0tLgMaYnTnMGA9QQTMAYAYaJ3BBWC9AOu2tz6XgRvh6z834AY2AAAA//9LSB24" +
        "AAAABklEQVQDAKnzpknG3hIzAAAAAElFTkSuQmCC");

    /// <summary>The latitude 40° 44' 54.32" as EXIF stores it (three big-endian rationals).</summary>
    public static readonly byte[] GpsLatitudeRationals =
    [
        0, 0, 0, 40, 0, 0, 0, 1,
        0, 0, 0, 44, 0, 0, 0, 1,
        0, 0, 0x15, 0x38, 0, 0, 0, 100,
    ];

    public const string Comment = "shot at 12 Harbor Street";

    /// <summary>
    /// <see cref="Jpeg"/> as a phone saves it: an EXIF block right after the start of image with the orientation
    /// (6: rotated 90°) and a GPS position, plus a comment segment naming a street.
    /// </summary>
    public static byte[] JpegWithGpsPosition()
    {
        var tiff = new List<byte>();
        tiff.AddRange("MM"u8.ToArray());
        tiff.AddRange(U16(42));
        tiff.AddRange(U32(8));
        // IFD0 at 8: Orientation = 6, GPSInfo -> 38
        tiff.AddRange(U16(2));
        tiff.AddRange(Entry(0x0112, 3, 1, [0, 6, 0, 0]));
        tiff.AddRange(Entry(0x8825, 4, 1, U32(38)));
        tiff.AddRange(U32(0));
        // GPS IFD at 38: LatitudeRef "N", Latitude -> 68
        tiff.AddRange(U16(2));
        tiff.AddRange(Entry(0x0001, 2, 2, [(byte)'N', 0, 0, 0]));
        tiff.AddRange(Entry(0x0002, 5, 3, U32(68)));
        tiff.AddRange(U32(0));
        tiff.AddRange(GpsLatitudeRationals);

        var exif = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var comment = Encoding.ASCII.GetBytes(Comment);
        var source = Jpeg;
        var result = new List<byte>();
        result.AddRange(source[..2]);
        result.AddRange([0xFF, 0xE1]);
        result.AddRange(U16(exif.Length + 2));
        result.AddRange(exif);
        result.AddRange([0xFF, 0xFE]);
        result.AddRange(U16(comment.Length + 2));
        result.AddRange(comment);
        result.AddRange(source[2..]);
        return result.ToArray();
    }

    public static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static byte[] Entry(ushort tag, ushort type, uint count, byte[] value) =>
        U16(tag).Concat(U16(type)).Concat(U32(count)).Concat(value).ToArray();

    private static byte[] U16(int value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
        return bytes;
    }

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}

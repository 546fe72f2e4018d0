using Microsoft.AspNetCore.Http;
using Portal.Insurance.Plans;

namespace Portal.Insurance.Photos;

/// <summary>Reads one uploaded card photo: at most 10 MB, and a JPEG or PNG by its content, whatever its name says.</summary>
internal static class PhotoUpload
{
    public static async Task<(CleanImage? Image, DeskOutcome? Refusal)> ReadAsync(IFormFile? file, CancellationToken cancellation)
    {
        if (file is null || file.Length == 0)
            return (null, Invalid("Choose a photo of your insurance card."));
        if (file.Length > CardImages.MaxBytes)
            return (null, Invalid("The photo is larger than 10 MB. Take it again at a lower resolution, or crop it to the card."));

        using var buffer = new MemoryStream((int)file.Length);
        await using (var stream = file.OpenReadStream()) await stream.CopyToAsync(buffer, cancellation);
        var image = CardImages.Clean(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        return image is null
            ? (null, Invalid("The file is not a JPEG or PNG photo. Upload a photo of your card taken with your phone or a scan saved as JPEG or PNG."))
            : (image, null);
    }

    /// <summary>The multipart form of the photo API: a "file" part and the "expectedVersion" the client saw.</summary>
    public static async Task<(IFormFile? File, long? ExpectedVersion, DeskOutcome? Refusal)> ReadFormAsync(HttpRequest request, CancellationToken cancellation)
    {
        if (!request.HasFormContentType)
            return (null, null, Invalid("Send the photo as multipart/form-data with a \"file\" part and an \"expectedVersion\" field."));
        var form = await request.ReadFormAsync(cancellation);
        if (!long.TryParse(form["expectedVersion"], out var version) || version < 0)
            return (null, null, Invalid("Send the version of the insurance you are changing as \"expectedVersion\"."));
        return (form.Files.GetFile("file"), version, null);
    }

    private static DeskOutcome Invalid(string detail) =>
        new(StatusCodes.Status400BadRequest, "The photo was not accepted.", detail);
}

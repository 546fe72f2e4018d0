namespace Portal.Insurance.Photos;

/// <summary>The multipart form of the photo API: a "file" part and the "expectedVersion" the uploader saw.</summary>
internal sealed record UploadForm(IFormFile? File, long ExpectedVersion);

/// <summary>Reads one uploaded card photo: at most 10 MB, and a JPEG or PNG by its content, whatever its name says.</summary>
internal static class PhotoUpload
{
    public static async Task<Outcome<CleanImage>> ReadAsync(IFormFile? file, CancellationToken cancellation)
    {
        if (file is null || file.Length == 0)
            return Invalid("Choose a photo of your insurance card.");
        if (file.Length > CardImages.MaxBytes)
            return Invalid("The photo is larger than 10 MB. Take it again at a lower resolution, or crop it to the card.");

        using var buffer = new MemoryStream((int)file.Length);
        await using (var stream = file.OpenReadStream()) await stream.CopyToAsync(buffer, cancellation);
        return CardImages.Clean(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)) is { } image
            ? image
            : Invalid("The file is not a JPEG or PNG photo. Upload a photo of your card taken with your phone or a scan saved as JPEG or PNG.");
    }

    public static async Task<Outcome<UploadForm>> ReadFormAsync(HttpRequest request, CancellationToken cancellation)
    {
        if (!request.HasFormContentType)
            return Invalid("Send the photo as multipart/form-data with a \"file\" part and an \"expectedVersion\" field.");
        var form = await request.ReadFormAsync(cancellation);
        if (!long.TryParse(form["expectedVersion"], out var version) || version < 0)
            return Invalid("Send the version of the insurance you are changing as \"expectedVersion\".");
        return new UploadForm(form.Files.GetFile("file"), version);
    }

    private static Refusal Invalid(string detail) => new(StatusCodes.Status400BadRequest, "The photo was not accepted.", detail);
}

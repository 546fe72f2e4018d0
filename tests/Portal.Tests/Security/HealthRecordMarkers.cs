using System.Text.Json;
using Alba;

namespace Portal.Tests.Security;

/// <summary>The ids of the health records <see cref="HealthRecordMarkers.PlantAsync"/> made for one client.</summary>
public sealed record PlantedHealthRecords(Guid ResponseId, Guid SignatureId, Guid PhotoId, Guid DocumentId, Guid FormId);

/// <summary>
/// Health and payment records of one client carrying marker values, so the security suites can look for the markers in
/// every answer: a PHQ-9 with a safety answer, an intake form answer, a signed document, insurance with a card photo.
/// </summary>
public static class HealthRecordMarkers
{
    public static async Task<PlantedHealthRecords> PlantAsync(IAlbaHost host, ProviderActor clinician, ClientActor client,
        string IntakeAnswer, string DocumentClause, string MemberId)
    {
        await Json(host, client, HttpMethod.Post, "/api/portal/assessments/phq9", new { answers = new[] { 1, 0, 0, 0, 0, 0, 0, 0, 2 } }, 201);

        var form = await Json(host, clinician, HttpMethod.Post, "/api/forms", new
        {
            title = "New client intake",
            schema = new
            {
                sections = new object[]
                {
                    new { key = "about", title = "About you", fields = new object[]
                    {
                        new { key = "concern", label = "What brings you here?", type = "ShortText", required = true, maxLength = 200 },
                    } },
                },
            },
        }, 201);
        var formId = form.GetProperty("formId").GetGuid();
        await Json(host, clinician, HttpMethod.Post, $"/api/forms/{formId}/publish", new { revision = form.GetProperty("revision").GetInt32() }, 200);
        var response = await Json(host, client, HttpMethod.Post, $"/api/portal/forms/{formId}/responses",
            new { version = 1, answers = new { concern = IntakeAnswer } }, 201);

        var document = await Json(host, clinician, HttpMethod.Post, "/api/documents",
            new { title = "Privacy policy", markdown = $"We keep your records private. {DocumentClause}." }, 201);
        var documentId = document.GetProperty("documentId").GetGuid();
        await Json(host, clinician, HttpMethod.Post, $"/api/documents/{documentId}/publish",
            new { revision = document.GetProperty("revision").GetInt32(), requireExistingSignersToSignAgain = false }, 200);
        var shown = await Json(host, client, HttpMethod.Get, $"/api/portal/documents/{documentId}", null, 200);
        var signed = await Json(host, client, HttpMethod.Post, $"/api/portal/documents/{documentId}/signatures", new
        {
            version = shown.GetProperty("version").GetInt32(), contentHash = shown.GetProperty("contentHash").GetString(),
            fullName = client.FirstName + " " + client.LastName, agreeToSignElectronically = true,
        }, 201);

        await Json(host, client, HttpMethod.Put, "/api/insurance/plans/primary", new
        {
            expectedVersion = 0, payerId = "aetna", planName = "Open Access", memberId = MemberId, groupNumber = "0098765",
            subscriber = new { isClient = true },
        }, 200);
        await host.TrackedScenarioAsync(s =>
        {
            s.As(client);
            s.Post.MultipartFormData(Insurance.InsuranceApi.Photo(Insurance.CardPictures.Png, "front.png", 1))
                .ToUrl("/api/insurance/plans/primary/photos/front");
            s.StatusCodeShouldBeOk();
        });
        var insurance = await Json(host, client, HttpMethod.Get, "/api/insurance", null, 200);
        var photoId = Guid.Parse(insurance.GetProperty("primary").GetProperty("frontPhotoUrl").GetString()!.Split('/').Last());
        return new PlantedHealthRecords(response.GetProperty("responseId").GetGuid(), signed.GetProperty("signatureId").GetGuid(),
            photoId, documentId, formId);
    }

    /// <summary>Calls the API as <paramref name="actor"/>, waits for the work it starts, and reads the JSON answer (default when empty).</summary>
    internal static async Task<JsonElement> Json(IAlbaHost host, ISignedIn actor, HttpMethod method, string url, object? body, int status)
    {
        var (_, result) = await host.TrackedScenarioAsync(s =>
        {
            s.As(actor);
            if (method == HttpMethod.Get) s.Get.Url(url);
            else if (method == HttpMethod.Put) s.Put.Json(body!).ToUrl(url);
            else if (body is null) s.Post.Url(url);
            else s.Post.Json(body).ToUrl(url);
            s.StatusCodeShouldBe(status);
        });
        var text = await result.ReadAsTextAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}

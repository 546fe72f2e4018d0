using System.IO.Compression;
using System.Text.Json;
using Alba;
using Portal.Contracts;
using Portal.Tests.Infrastructure;
using Portal.Tests.Insurance;

namespace Portal.Tests.Lifecycle;

public sealed class ExportTests(PortalFixture fixture) : LifecycleTest(fixture)
{
    private sealed record Saved(Guid DocumentId, int Revision);
    private sealed record Shown(int Version, string ContentHash);

    [Fact]
    public async Task The_export_is_a_zip_with_each_modules_file_and_the_signed_copy_and_keeps_a_discharged_record_whole()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var signatureId = await SignPolicyAsync(provider, client);
        await RequestInsuranceAsync(provider, client.ClientId);
        await DischargeAsync(provider, client.ClientId, "Client moved away");

        var result = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url($"/api/console/clients/{client.ClientId}/export");
            s.StatusCodeShouldBeOk();
            s.ContentTypeShouldBe("application/zip");
        });

        var bytes = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(bytes);
        bytes.Position = 0;
        using var zip = new ZipArchive(bytes);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        names.ShouldContain("manifest.json");
        foreach (var module in new[] { "practice", "invitations", "insurance", "autopay", "intake", "forms", "notifications" })
            names.ShouldContain($"{module}.json");

        var practice = Read(zip, "practice.json");
        practice.GetProperty("discharged").GetBoolean().ShouldBeTrue();
        practice.GetProperty("lastDischarge").GetProperty("reason").GetString().ShouldBe("Client moved away");
        var intake = Read(zip, "intake.json").GetProperty("assignments").EnumerateArray().ShouldHaveSingleItem();
        intake.GetProperty("status").GetString().ShouldBe("Cancelled");
        var invitations = Read(zip, "invitations.json");
        invitations.GetProperty("account").GetProperty("closedAt").ValueKind.ShouldBe(JsonValueKind.String);
        invitations.GetRawText().ShouldNotContain("hash", Case.Insensitive);

        var signed = Read(zip, "forms.json").GetProperty("documentsSigned").EnumerateArray().ShouldHaveSingleItem();
        signed.GetProperty("contentVerified").GetBoolean().ShouldBeTrue();
        var copyPath = signed.GetProperty("file").GetString()!;
        copyPath.ShouldStartWith("forms/signed/");
        copyPath.ShouldContain(signatureId.ToString("N"));
        using (var reader = new StreamReader(zip.GetEntry(copyPath)!.Open()))
        {
            var copy = await reader.ReadToEndAsync();
            copy.ShouldContain("We keep <strong>your</strong> records private.");
            copy.ShouldContain("Casey Client");
            copy.ShouldContain("Electronic signature");
        }

        var notifications = Read(zip, "notifications.json");
        notifications.GetProperty("emailsToClient").GetArrayLength().ShouldBeGreaterThan(0, "the invitation was emailed");
        notifications.GetRawText().ShouldNotContain("/activate?token");
        (await AuditOfAsync(client.ClientId, "client.exported")).ShouldHaveSingleItem().ActorId.ShouldNotBeNull();
    }

    [Fact]
    public async Task The_export_carries_the_card_photos_byte_for_byte_with_the_plan_and_side_each_shows()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await TrackedScenario(s =>
        {
            s.As(client);
            s.Put.Json(InsuranceApi.Plan(0)).ToUrl("/api/insurance/plans/primary");
            s.StatusCodeShouldBeOk();
        });
        await UploadAsync(client, "front", CardPictures.Png, "front.png", "image/png", 1);
        await UploadAsync(client, "back", CardPictures.Jpeg, "back.jpg", "image/jpeg", 2);
        var plan = (await Host.OfClientAsync(provider, client.ClientId)).Primary!;
        var storedBack = await (await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url(plan.BackPhotoUrl!);
            s.StatusCodeShouldBeOk();
        })).BytesAsync();

        var result = await ExportAsync(provider, client.ClientId, 200);

        var bytes = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(bytes);
        bytes.Position = 0;
        using var zip = new ZipArchive(bytes);
        var photos = Read(zip, "insurance.json").GetProperty("cardPhotos").EnumerateArray().ToList();
        photos.Count.ShouldBe(2);
        var front = photos.Single(p => p.GetProperty("shownOn").GetProperty("side").GetString() == "Front");
        front.GetProperty("shownOn").GetProperty("rank").GetString().ShouldBe("Primary");
        front.GetProperty("contentType").GetString().ShouldBe("image/png");
        plan.FrontPhotoUrl.ShouldEndWith(front.GetProperty("id").GetGuid().ToString());
        (await EntryBytesAsync(zip, front.GetProperty("file").GetString()!)).ShouldBe(CardPictures.Png);
        var back = photos.Single(p => p.GetProperty("shownOn").GetProperty("side").GetString() == "Back");
        back.GetProperty("file").GetString()!.ShouldStartWith("insurance/photos/");
        (await EntryBytesAsync(zip, back.GetProperty("file").GetString()!)).ShouldBe(storedBack);
        var files = Read(zip, "manifest.json").GetProperty("files").EnumerateArray().Select(f => f.GetString()).ToList();
        files.ShouldContain(front.GetProperty("file").GetString());
        files.ShouldContain(back.GetProperty("file").GetString());
        (await AuditOfAsync(client.ClientId, "client.exported")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Front_desk_and_billers_are_refused_and_another_practice_is_told_the_client_does_not_exist()
    {
        var owner = await Host.NewProviderAsync();
        var clinician = await Host.NewMemberAsync(owner, StaffRole.Clinician);
        var otherClinician = await Host.NewMemberAsync(owner, StaffRole.Clinician, name: "Morgan Other");
        var frontDesk = await Host.NewMemberAsync(owner, StaffRole.FrontDesk);
        var biller = await Host.NewMemberAsync(owner, StaffRole.Biller);
        var stranger = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(clinician);

        await ExportAsync(frontDesk, client.ClientId, 403);
        await ExportAsync(biller, client.ClientId, 403);
        await ExportAsync(otherClinician, client.ClientId, 404);
        await ExportAsync(stranger, client.ClientId, 404);
        await ExportAsync(stranger.Support, client.ClientId, 403);
        await ExportAsync(clinician, client.ClientId, 200);
        await ExportAsync(owner, client.ClientId, 200);
        (await AuditOfAsync(client.ClientId, "client.exported")).Count.ShouldBe(2);
    }

    private Task<IScenarioResult> ExportAsync(ISignedIn actor, Guid clientId, int status) => Host.Scenario(s =>
    {
        s.As(actor);
        s.Get.Url($"/api/console/clients/{clientId}/export");
        s.StatusCodeShouldBe(status);
    });

    [Fact]
    public async Task The_signed_copy_in_the_export_shows_the_signing_time_in_the_practice_s_zone_not_UTC()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await TrackedScenario(s =>
        {
            s.As(provider);
            s.Put.Json(new { displayName = "Lakeside Therapy", timeZone = "Asia/Tokyo", accentColor = "#1f5f8b" })
                .ToUrl("/api/console/practice/look");
            s.StatusCodeShouldBeOk();
        });
        await SignPolicyAsync(provider, client);

        var result = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url($"/api/console/clients/{client.ClientId}/export");
            s.StatusCodeShouldBeOk();
        });
        var bytes = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(bytes);
        bytes.Position = 0;
        using var zip = new ZipArchive(bytes);
        var signed = Read(zip, "forms.json").GetProperty("documentsSigned").EnumerateArray().ShouldHaveSingleItem();
        var signedAt = signed.GetProperty("signature").GetProperty("signedAt").GetDateTimeOffset();
        using var reader = new StreamReader(zip.GetEntry(signed.GetProperty("file").GetString()!)!.Open());
        var copy = await reader.ReadToEndAsync();

        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        copy.ShouldContain(Portal.BuildingBlocks.Time.PortalTime.DateTime(signedAt, tokyo));
        copy.ShouldNotContain("UTC");
    }

    private Task UploadAsync(ClientActor client, string side, byte[] content, string fileName, string contentType, long version) =>
        TrackedScenario(s =>
        {
            s.As(client);
            s.Post.MultipartFormData(InsuranceApi.Photo(content, fileName, version, contentType))
                .ToUrl($"/api/insurance/plans/primary/photos/{side}");
            s.StatusCodeShouldBeOk();
        });

    private static async Task<byte[]> EntryBytesAsync(ZipArchive zip, string path)
    {
        await using var entry = zip.GetEntry(path)!.Open();
        using var copy = new MemoryStream();
        await entry.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static JsonElement Read(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    private async Task<Guid> SignPolicyAsync(ProviderActor provider, ClientActor client)
    {
        var saved = await JsonAsync<Saved>(provider, HttpMethod.Post, "/api/documents",
            new { title = "Privacy policy", markdown = "We keep **your** records private." }, 201);
        await JsonAsync<JsonElement>(provider, HttpMethod.Post, $"/api/documents/{saved.DocumentId}/publish",
            new { revision = saved.Revision, requireExistingSignersToSignAgain = false }, 200);
        var shown = await JsonAsync<Shown>(client, HttpMethod.Get, $"/api/portal/documents/{saved.DocumentId}", null, 200);
        var signed = await JsonAsync<JsonElement>(client, HttpMethod.Post, $"/api/portal/documents/{saved.DocumentId}/signatures",
            new { version = shown.Version, contentHash = shown.ContentHash, fullName = "Casey Client", agreeToSignElectronically = true }, 201);
        return signed.GetProperty("signatureId").GetGuid();
    }

    private async Task<T> JsonAsync<T>(ISignedIn actor, HttpMethod method, string url, object? body, int status)
    {
        var (_, result) = await TrackedScenario(s =>
        {
            s.As(actor);
            if (method == HttpMethod.Get) s.Get.Url(url);
            else s.Post.Json(body!).ToUrl(url);
            s.StatusCodeShouldBe(status);
        });
        return (await result.ReadAsJsonAsync<T>())!;
    }
}

using System.IO.Compression;
using System.Text.Json;
using Alba;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

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
